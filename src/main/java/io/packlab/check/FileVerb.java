package io.packlab.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code file PATH exists|executable}: a file the learner made, relative to the work folder. */
final class FileVerb implements CheckVerb {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public List<String> synopsis() {
        return List.of("file PATH exists", "file PATH executable");
    }

    @Override
    public Check parse(Tokens t) {
        String path = t.next("a file path (relative to the work folder)");
        String what = t.expect("exists", "executable");
        t.end();
        return new LineCheck(t) {
            @Override
            public CheckResult evaluate(CheckContext context) {
                Path file = context.workdir().resolve(path).normalize();
                if (!Files.exists(file)) {
                    return CheckResult.fail(this, path + " " + what, "no file " + path + " in " + context.workdir());
                }
                if (what.equals("exists")) {
                    return CheckResult.pass(this, path + " exists");
                }
                return CheckResult.of(this, Files.isRegularFile(file) && Files.isExecutable(file), path + " executable",
                        path + (Files.isDirectory(file) ? " is a folder" : " is not executable (chmod +x " + path + ")"));
            }
        };
    }
}
