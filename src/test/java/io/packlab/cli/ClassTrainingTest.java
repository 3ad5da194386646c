package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassTrainingTest {

    @TempDir
    Path dir;

    /** A jar with the given class files of the test's class path, plus a file that is no class. */
    private Path jar(String... classFiles) throws IOException {
        Path jar = dir.resolve("packlab.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : classFiles) {
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = ClassTrainingTest.class.getResourceAsStream("/" + name)) {
                    in.transferTo(out);
                }
            }
            out.putNextEntry(new JarEntry("io/packlab/lifecycle/launcher.c"));
            out.write("int main() { return 0; }".getBytes());
        }
        return jar;
    }

    @Test
    void loadsTheClassesOfTheTrainedFoldersOnly() throws IOException {
        Path jar = jar("io/packlab/cli/Version.class", "picocli/CommandLine.class",
                "org/junit/jupiter/api/Test.class");
        assertEquals(2, ClassTraining.loadAll(jar), "packlab's and picocli's classes, not JUnit's, not the C file");
    }

    @Test
    void aClassThatCannotBeLoadedIsSkipped() throws IOException {
        Path jar = dir.resolve("packlab.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("io/packlab/NoSuchClassAnywhere.class"));
            out.write(new byte[] {1, 2, 3});
        }
        assertEquals(0, ClassTraining.loadAll(jar));
    }
}
