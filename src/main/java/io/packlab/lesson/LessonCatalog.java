package io.packlab.lesson;

import io.packlab.check.CheckLanguage;
import io.packlab.error.PacklabException;
import io.packlab.error.SourceLocation;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The lessons of one folder, ordered by file name, looked up by id or by number (1-based). */
public final class LessonCatalog {

    private final Path folder;
    private final List<Lesson> lessons;

    private LessonCatalog(Path folder, List<Lesson> lessons) {
        this.folder = folder;
        this.lessons = List.copyOf(lessons);
    }

    /** Reads every {@code *.md} file of the folder; any malformed lesson fails the whole load. */
    public static LessonCatalog load(Path folder, CheckLanguage checks) {
        if (!Files.isDirectory(folder)) {
            throw PacklabException.usage((Files.exists(folder) ? "the lesson folder " + folder + " is a file, not a folder"
                    : "there is no lesson folder " + folder) + ". Check --lang and --lessons, or run packlab from its"
                    + " own directory.");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw PacklabException.usage("cannot list the lesson folder " + folder + ": "
                    + io.packlab.error.IoReasons.reason(e) + ". Check --lang and --lessons.");
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new LessonFormatException(new SourceLocation(file, 1), notALessonFile(file));
            }
        }
        if (files.isEmpty()) {
            throw PacklabException.usage("the lesson folder " + folder + " holds no lessons (*.md files).");
        }
        LessonParser parser = new LessonParser(checks);
        List<Lesson> lessons = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path file : files) {
            Lesson lesson = parser.parse(file, read(file));
            Path first = seen.putIfAbsent(lesson.id(), file);
            if (first != null) {
                throw new LessonFormatException(new SourceLocation(file, idLine(file)), "the lesson id `" + lesson.id()
                        + "` is already used by " + first + ". Give one of them another id.");
            }
            lessons.add(lesson);
        }
        for (Lesson lesson : lessons) {
            for (String required : lesson.requires()) {
                if (!seen.containsKey(required)) {
                    throw new LessonFormatException(new SourceLocation(lesson.file(), 1), "lesson `" + lesson.id()
                            + "` requires `" + required + "`, which no lesson in " + folder + " has as its id.");
                }
            }
        }
        return new LessonCatalog(folder, lessons);
    }

    /** Why a {@code *.md} entry of the lesson folder cannot be read as a lesson: a link that loops or leads nowhere, a folder. */
    public static String notALessonFile(Path file) {
        if (Files.isSymbolicLink(file)) {
            String target;
            try {
                target = Files.readSymbolicLink(file).toString();
            } catch (IOException e) {
                target = "?";
            }
            try {
                file.toRealPath();
            } catch (java.nio.file.FileSystemException e) {
                if (String.valueOf(e.getReason()).toLowerCase(java.util.Locale.ROOT).contains("levels of symbolic links")
                        || e instanceof java.nio.file.FileSystemLoopException) {
                    return "this is a symbolic link that loops (through " + target + " back to itself), so it is no"
                            + " lesson. Point it at a lesson file, or remove it.";
                }
                return "this is a symbolic link to " + target + ", which does not exist, so it is no lesson. Point it at"
                        + " a lesson file, or remove it.";
            } catch (IOException e) {
                return "this is a symbolic link to " + target + " that cannot be followed (" + e.getMessage() + ").";
            }
        }
        if (Files.isDirectory(file)) {
            return "this is a folder, not a lesson file; lessons are the *.md files of the lesson folder. Rename it.";
        }
        return "this is not a regular file, so it is no lesson. Replace it with the lesson's Markdown file.";
    }

    private static String read(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new LessonFormatException(new SourceLocation(file, 1), "the file is not UTF-8 text; save it as UTF-8.");
        } catch (IOException e) {
            throw PacklabException.usage("cannot read the lesson " + file + ": " + e.getMessage());
        }
    }

    private static int idLine(Path file) {
        String[] lines = read(file).split("\r?\n");
        for (int i = 0; i < lines.length && i < 50; i++) {
            if (lines[i].strip().startsWith("id:")) {
                return i + 1;
            }
        }
        return 1;
    }

    public Path folder() {
        return folder;
    }

    public List<Lesson> lessons() {
        return lessons;
    }

    public List<String> ids() {
        return lessons.stream().map(Lesson::id).toList();
    }

    /** By id, or by its number in the list ("1" is the first lesson). */
    public Optional<Lesson> find(String idOrNumber) {
        if (idOrNumber.matches("\\d{1,3}")) {
            int n = Integer.parseInt(idOrNumber);
            return n >= 1 && n <= lessons.size() ? Optional.of(lessons.get(n - 1)) : Optional.empty();
        }
        return lessons.stream().filter(l -> l.id().equals(idOrNumber)).findFirst();
    }

    /** Like {@link #find}, but a missing lesson is a usage error that lists the ids. */
    public Lesson get(String idOrNumber) {
        return find(idOrNumber).orElseThrow(() -> PacklabException.usage("there is no lesson `" + idOrNumber
                + "`. The lessons are: " + String.join(", ", ids()) + " (or their numbers 1-" + lessons.size() + ")."));
    }

    public int indexOf(Lesson lesson) {
        return lessons.indexOf(lesson);
    }
}
