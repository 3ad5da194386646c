package io.packlab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The training of the class data sharing archive that {@code ./packlab} makes once per jar: besides the
 * quiet check it runs, the classes of packlab, of the engine client and of the libraries a build and
 * the shell use are loaded (not initialised), so that the archive holds them and no command has to
 * read and verify them from the jar. Loading a class runs none of its code.
 */
final class ClassTraining {

    /** The environment variable the launcher sets on its training run. */
    static final String VARIABLE = "PACKLAB_CDS_TRAINING";

    /** Folders of the jar whose classes commands load: packlab's own, and the libraries on its common paths. */
    static final List<String> FOLDERS = List.of("io/packlab/", "com/github/dockerjava/", "picocli/",
            "com/fasterxml/jackson/core/", "com/fasterxml/jackson/databind/", "com/fasterxml/jackson/annotation/",
            "org/apache/commons/compress/archivers/tar/", "org/apache/commons/compress/utils/", "org/tomlj/",
            "org/antlr/v4/runtime/", "org/jline/", "org/commonmark/", "org/slf4j/", "com/google/common/base/",
            "com/google/common/collect/", "com/google/common/escape/", "com/google/common/net/",
            "org/apache/commons/io/", "org/apache/commons/lang3/");

    private ClassTraining() {
    }

    /** Loads the classes of {@link #FOLDERS} from {@code jar}; returns how many loaded. */
    static int loadAll(Path jar) throws IOException {
        ClassLoader loader = ClassTraining.class.getClassLoader();
        int loaded = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : java.util.Collections.list(file.entries())) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.endsWith("module-info.class")
                        || name.endsWith("package-info.class") || FOLDERS.stream().noneMatch(name::startsWith)) {
                    continue;
                }
                try {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    loaded++;
                } catch (LinkageError | ClassNotFoundException e) {
                    // a class of an optional dependency that is not in the jar: left out of the archive
                }
            }
        }
        return loaded;
    }

    /** On the launcher's training run: loads the classes of the jar packlab runs from; quiet whatever happens. */
    static void trainIfAsked(java.util.Map<String, String> env) {
        if (!"1".equals(env.get(VARIABLE))) {
            return;
        }
        try {
            Path jar = Path.of(ClassTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (jar.toString().endsWith(".jar")) {
                loadAll(jar);
            }
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            // only a faster start is lost
        }
    }
}
