package io.packlab.authoring;

import io.packlab.check.CheckLanguage;
import io.packlab.error.PacklabException;
import io.packlab.error.SourceLocation;
import io.packlab.lesson.Lesson;
import io.packlab.lesson.LessonCatalog;
import io.packlab.lesson.LessonParser;
import io.packlab.lesson.Step;
import io.packlab.words.ShellWords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.parser.Parser;

/**
 * Validates an instructor's lesson folder without running anything: every lesson parses (syntax of
 * front matter, blocks and checks), ids are unique, {@code requires} names existing lessons, every
 * lesson has a title and a check, and the files and folders its steps name exist in the work folder
 * ({@code cd}, {@code cat}, {@code docker build} contexts and {@code -f}, {@code pack} {@code --config},
 * {@code --path} and path-like {@code --buildpack}). What earlier steps make ({@code pack buildpack new},
 * {@code mkdir}, {@code >} redirections) counts as existing for the steps after them.
 */
public final class LessonLinter {

    /** One problem, at a place in a lesson file. */
    public record Problem(Path file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    /** What a lint found: how many lesson files were read, and the problems in file and line order. */
    public record Result(Path folder, int files, int lessons, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean clean() {
            return problems.isEmpty();
        }
    }

    private static final String VAR = "\u0000var\u0000";

    /** docker build options that take a value (the next word, unless written --opt=value). */
    private static final Set<String> DOCKER_VALUE_OPTIONS = Set.of("-t", "--tag", "-f", "--file", "--build-arg",
            "--label", "--target", "--platform", "--network", "--progress", "--cache-from", "--cache-to", "--secret",
            "--ssh", "--iidfile", "-o", "--output", "--add-host", "--shm-size", "-m", "--memory", "--build-context",
            "--ulimit", "--isolation", "--cgroup-parent", "--metadata-file", "--builder", "--attest", "--annotation");

    private final Path workdir;
    private final CheckLanguage checks;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<Path> made = new LinkedHashSet<>();

    private LessonLinter(Path workdir, CheckLanguage checks) {
        this.workdir = workdir.toAbsolutePath().normalize();
        this.checks = checks;
    }

    /**
     * Lints the lessons of {@code folder}; steps are resolved against {@code workdir}. A folder that
     * does not exist or holds no lessons is a usage error.
     */
    public static Result lint(Path folder, Path workdir, CheckLanguage checks) {
        return new LessonLinter(workdir, checks).run(folder);
    }

    private Result run(Path folder) {
        List<Path> files = lessonFiles(folder);
        LessonParser parser = new LessonParser(checks);
        List<Lesson> lessons = new ArrayList<>();
        Map<String, String> texts = new HashMap<>();
        Map<String, Path> ids = new LinkedHashMap<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                problem(file, 1, LessonCatalog.notALessonFile(file));
                continue;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            } catch (CharacterCodingException e) {
                problem(file, 1, "the file is not UTF-8 text; save it as UTF-8.");
                continue;
            } catch (IOException e) {
                problem(file, 1, "cannot read the file: " + e.getMessage());
                continue;
            }
            Lesson lesson;
            try {
                lesson = parser.parse(file, text);
            } catch (PacklabException e) { // LessonFormatException, CheckSyntaxException: file:line: problem
                formatProblem(file, e);
                continue;
            }
            Path first = ids.putIfAbsent(lesson.id(), file);
            if (first != null) {
                problem(file, lineStarting(text, "id:", 1), "the lesson id `" + lesson.id() + "` is already used by "
                        + first + ". Give one of them another id.");
                continue;
            }
            lessons.add(lesson);
            texts.put(lesson.id(), text);
        }
        for (Lesson lesson : lessons) {
            String text = texts.get(lesson.id());
            for (String required : lesson.requires()) {
                if (!ids.containsKey(required)) {
                    problem(lesson.file(), lineStarting(text, "requires:", 1), "lesson `" + lesson.id() + "` requires `"
                            + required + "`, which no lesson in " + folder + " has as its id.");
                }
            }
            if (lesson.title().isBlank() || lesson.title().equals(lesson.id()) && !hasTitle(text, lesson)) {
                problem(lesson.file(), 1, "lesson `" + lesson.id() + "` has no title. Add `title: ...` to its front"
                        + " matter or a `# heading`.");
            }
            if (lesson.checks().isEmpty()) {
                problem(lesson.file(), 1, "lesson `" + lesson.id() + "` has no ```check block"
                        + (lesson.registryChecks().isEmpty() ? "" : " that runs without --registry")
                        + ", so packlab cannot tell when it is done. Add at least one check.");
            }
            for (Step step : lesson.steps()) {
                step(step);
            }
        }
        if (problems.isEmpty()) {
            try {
                LessonCatalog.load(folder, checks); // the ground truth: what packlab itself will load
            } catch (PacklabException e) {
                problems.add(new Problem(folder, 1, e.getMessage()));
            }
        }
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing((Problem p) -> p.file().toString()).thenComparingInt(Problem::line));
        return new Result(folder, files.size(), lessons.size(), sorted);
    }

    private static List<Path> lessonFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw PacklabException.usage((Files.exists(folder) ? folder + " is a file, not a lesson folder"
                    : "there is no lesson folder " + folder) + ". Give the folder that holds the lessons' *.md files.");
        }
        try (Stream<Path> list = Files.list(folder)) {
            List<Path> files = list.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
            if (files.isEmpty()) {
                throw PacklabException.usage("the lesson folder " + folder + " holds no lessons (*.md files).");
            }
            return files;
        } catch (IOException e) {
            throw PacklabException.usage("cannot list the lesson folder " + folder + ": "
                    + io.packlab.error.IoReasons.reason(e) + ".");
        }
    }

    private void formatProblem(Path file, PacklabException e) {
        String m = e.getMessage();
        String prefix = file + ":";
        if (m.startsWith(prefix)) {
            int colon = m.indexOf(": ", prefix.length());
            if (colon > 0) {
                try {
                    problem(file, Integer.parseInt(m.substring(prefix.length(), colon)), m.substring(colon + 2));
                    return;
                } catch (NumberFormatException ignored) {
                    // fall through: keep the message whole
                }
            }
        }
        problem(file, 1, m);
    }

    private void problem(Path file, int line, String message) {
        problems.add(new Problem(file, line, message));
    }

    private void problem(SourceLocation at, String message) {
        problem(at.file(), at.line(), message);
    }

    private static int lineStarting(String text, String prefix, int otherwise) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length && i < 50; i++) {
            if (lines[i].strip().startsWith(prefix)) {
                return i + 1;
            }
        }
        return otherwise;
    }

    /** A title written as such: a non-blank {@code title:} in the front matter or a heading. */
    private static boolean hasTitle(String text, Lesson lesson) {
        String[] lines = text.split("\r?\n", -1);
        if (lines.length > 0 && lines[0].strip().equals("---")) {
            for (int i = 1; i < lines.length && !lines[i].strip().equals("---"); i++) {
                String l = lines[i].strip();
                if (l.startsWith("title:") && !l.substring(6).strip().replaceAll("^[\"']|[\"']$", "").isBlank()) {
                    return true;
                }
            }
        }
        boolean[] heading = {false};
        Parser.builder().build().parse(lesson.markdown()).accept(new AbstractVisitor() {
            @Override
            public void visit(Heading h) {
                heading[0] = true;
            }
        });
        return heading[0];
    }

    // --- steps -----------------------------------------------------------------------------------

    /** Follows one step as packlab would run it: from the work folder, {@code cd} moving it. */
    private void step(Step step) {
        Path cwd = workdir;
        for (Step.StepLine line : step.lines()) {
            if (cwd == null) { // after a cd to a missing folder, only `cd` alone says where the step is
                cwd = line.command().strip().equals("cd") ? workdir : null;
                continue;
            }
            cwd = line(line.command(), line.location(), cwd);
        }
    }

    /** Checks one command line; returns the folder the next line runs in, null when it is unknown. */
    private Path line(String command, SourceLocation at, Path cwd) {
        List<String> words;
        try {
            words = ShellWords.split(command, name -> VAR);
        } catch (PacklabException e) {
            problem(at, e.getMessage());
            return cwd;
        }
        if (words.isEmpty()) {
            return cwd;
        }
        if (ShellWords.needsShell(command)) {
            redirections(words, cwd);
            return cwd;
        }
        switch (words.get(0)) {
            case "cd" -> {
                if (words.size() < 2) {
                    return workdir;
                }
                String arg = words.get(1);
                if (!checkable(arg) || arg.equals("-")) {
                    return cwd;
                }
                Path target = cwd.resolve(arg).normalize();
                if (!isFolder(target)) {
                    problem(at, "`cd " + arg + "`: there is no folder " + shown(target) + " in the work folder"
                            + where(cwd) + ".");
                    return null;
                }
                return target;
            }
            case "cat" -> words.stream().skip(1).filter(w -> !w.startsWith("-") && checkable(w))
                    .forEach(w -> requireFile(at, "cat " + w, cwd, w));
            case "mkdir" -> words.stream().skip(1).filter(w -> !w.startsWith("-") && checkable(w))
                    .forEach(w -> made.add(cwd.resolve(w).normalize()));
            case "docker" -> docker(words, at, cwd);
            case "pack" -> pack(words, at, cwd);
            default -> { /* other programs: their arguments are theirs */ }
        }
        return cwd;
    }

    private void redirections(List<String> words, Path cwd) {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String target = null;
            if ((w.equals(">") || w.equals(">>")) && i + 1 < words.size()) {
                target = words.get(i + 1);
            } else if (w.startsWith(">>") || w.startsWith(">")) {
                target = w.replaceFirst("^>>?", "");
            }
            if (target != null && !target.isEmpty() && checkable(target)) {
                made.add(cwd.resolve(target).normalize());
            }
        }
    }

    private void docker(List<String> words, SourceLocation at, Path cwd) {
        int from;
        if (words.size() > 1 && words.get(1).equals("build")) {
            from = 2;
        } else if (words.size() > 2 && words.get(1).equals("image") && words.get(2).equals("build")) {
            from = 3;
        } else {
            return;
        }
        String context = null;
        String file = null;
        for (int i = from; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("-")) {
                String name = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
                String value = w.contains("=") ? w.substring(w.indexOf('=') + 1) : null;
                if (value == null && DOCKER_VALUE_OPTIONS.contains(name) && i + 1 < words.size()) {
                    value = words.get(++i);
                }
                if (name.equals("-f") || name.equals("--file")) {
                    file = value;
                }
            } else {
                context = w;
            }
        }
        if (context == null) {
            problem(at, "`docker build` names no context folder (the last word, e.g. `.`).");
            return;
        }
        if (context.equals("-") || context.contains("://") || context.startsWith("git@") || !checkable(context)) {
            return;
        }
        Path dir = cwd.resolve(context).normalize();
        if (!isFolder(dir)) {
            problem(at, "`docker build`: the context " + context + " is not a folder: there is no " + shown(dir)
                    + " in the work folder" + where(cwd) + ".");
            return;
        }
        if (file == null) {
            if (!exists(dir.resolve("Dockerfile"))) {
                problem(at, "`docker build`: there is no Dockerfile in the context " + shown(dir) + ".");
            }
        } else if (!file.equals("-") && checkable(file)) {
            requireFile(at, "docker build -f " + file, cwd, file);
        }
    }

    private void pack(List<String> words, SourceLocation at, Path cwd) {
        boolean scaffold = words.size() > 2 && words.get(1).matches("buildpacks?") && words.get(2).equals("new");
        boolean pathGiven = false;
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("-")) {
                continue;
            }
            String name = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            String option = switch (name) {
                case "--config", "-c" -> "config";
                case "--path", "-p" -> "path";
                case "--buildpack", "-b" -> "buildpack";
                default -> null;
            };
            if (option == null) {
                continue;
            }
            String value = w.contains("=") ? w.substring(w.indexOf('=') + 1) : i + 1 < words.size() ? words.get(++i) : null;
            if (value == null || !checkable(value)) {
                continue;
            }
            switch (option) {
                case "config" -> requireFile(at, "pack " + name + " " + value, cwd, value);
                case "path" -> {
                    pathGiven = true;
                    if (scaffold) {
                        made.add(cwd.resolve(value).normalize());
                    } else {
                        requireFile(at, "pack " + name + " " + value, cwd, value);
                    }
                }
                default -> {
                    if (looksLikePath(value)) {
                        requireFile(at, "pack " + name + " " + value, cwd, value);
                    }
                }
            }
        }
        if (scaffold && !pathGiven && words.size() > 3 && !words.get(3).startsWith("-") && checkable(words.get(3))) {
            made.add(cwd.resolve(words.get(3)).normalize());
        }
    }

    /** A --buildpack value that names a file or folder rather than an id, an image or a URI. */
    static boolean looksLikePath(String value) {
        if (value.contains("://") || value.startsWith("urn:") || value.startsWith("from=")) {
            return false;
        }
        return value.equals(".") || value.equals("..") || value.startsWith("./") || value.startsWith("../")
                || value.startsWith("/") || value.endsWith(".cnb") || value.endsWith(".tgz") || value.endsWith(".tar.gz");
    }

    private void requireFile(SourceLocation at, String what, Path cwd, String name) {
        Path p = cwd.resolve(name).normalize();
        if (!exists(p)) {
            problem(at, "`" + what + "`: there is no " + shown(p) + " in the work folder" + where(cwd)
                    + ", and no earlier step makes it.");
        }
    }

    private boolean exists(Path p) {
        return Files.exists(p) || made.stream().anyMatch(m -> p.startsWith(m) || m.startsWith(p));
    }

    private boolean isFolder(Path p) {
        return Files.isDirectory(p) || made.stream().anyMatch(m -> p.startsWith(m) || m.startsWith(p) && !m.equals(p));
    }

    /** Words built from variables ($VAR) or the home folder cannot be resolved without running. */
    private static boolean checkable(String word) {
        return !word.contains(VAR) && !word.startsWith("~");
    }

    private String shown(Path p) {
        return p.startsWith(workdir) ? (workdir.equals(p) ? "." : workdir.relativize(p).toString()) : p.toString();
    }

    private String where(Path cwd) {
        return cwd.equals(workdir) ? "" : " (the step is in " + shown(cwd) + ")";
    }
}
