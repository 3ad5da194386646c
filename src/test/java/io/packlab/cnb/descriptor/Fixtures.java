package io.packlab.cnb.descriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** The fixtures of src/test/resources/cnb/descriptor, copied into a temp folder with the bin/ scripts made executable. */
final class Fixtures {

    private Fixtures() {
    }

    /** Copies the fixture tree into {@code into} (resource copies lose their modes) and returns {@code into}. */
    static Path copy(Path into) {
        Path source;
        try {
            source = Path.of(Fixtures.class.getResource("/cnb/descriptor").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : walk.toList()) {
                Path target = into.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    if (target.getParent().getFileName().toString().equals("bin")) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return into;
    }

    /** Writes the lines (joined with newlines) to {@code file}, creating its folder. */
    static Path write(Path file, String... lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A buildpack folder with executable bin/detect and bin/build and the given buildpack.toml. */
    static Path buildpack(Path dir, String... lines) {
        write(dir.resolve("bin/detect"), "#!/usr/bin/env bash", "exit 0");
        write(dir.resolve("bin/build"), "#!/usr/bin/env bash", "exit 0");
        try {
            Files.setPosixFilePermissions(dir.resolve("bin/detect"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(dir.resolve("bin/build"), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(dir.resolve("buildpack.toml"), lines);
    }
}
