package io.packlab.lesson;

import io.packlab.check.Check;
import io.packlab.check.CheckLanguage;
import io.packlab.error.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Parses one lesson file. Front matter ({@code ---} lines with {@code id:}, {@code title:},
 * {@code requires:}) is optional: without it the id comes from the file name ({@code 01-stack.md}
 * is {@code stack}) and the title from the first heading.
 */
public final class LessonParser {

    /** Lesson ids: lower-case words joined by dashes, so they are easy to type and to complete. */
    public static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private static final Pattern FILE_NAME = Pattern.compile("(?:\\d+[-_])?(.+)\\.md");
    private static final Pattern FRONT_LINE = Pattern.compile("([A-Za-z-]+)\\s*:\\s*(.*)");

    private final CheckLanguage checks;
    private final Parser markdown;

    public LessonParser(CheckLanguage checks) {
        this.checks = checks;
        this.markdown = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build();
    }

    public Lesson parse(Path file, String text) {
        String[] lines = text.split("\r?\n", -1);
        FrontMatter front = frontMatter(file, lines);
        String body = String.join("\n", java.util.Arrays.asList(lines).subList(front.bodyStart, lines.length));
        int lineOffset = front.bodyStart;

        Node document = markdown.parse(body);
        List<Step> steps = new ArrayList<>();
        List<Check> lessonChecks = new ArrayList<>();
        List<Check> registryChecks = new ArrayList<>();
        List<Hint> hints = new ArrayList<>();
        String[] firstHeading = {null};
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                if (firstHeading[0] == null) {
                    firstHeading[0] = plainText(heading);
                }
            }

            @Override
            public void visit(FencedCodeBlock block) {
                int openLine = lineOffset + block.getSourceSpans().get(0).getLineIndex() + 1;
                SourceLocation open = new SourceLocation(file, openLine);
                if (block.getClosingFenceLength() == null) {
                    throw new LessonFormatException(open, "the code block opened here with "
                            + block.getFenceCharacter().repeat(block.getOpeningFenceLength())
                            + " is never closed, so the rest of the lesson would be read as code. Add a closing "
                            + block.getFenceCharacter().repeat(block.getOpeningFenceLength()) + " line after its last line.");
                }
                String[] info = block.getInfo() == null ? new String[0] : block.getInfo().strip().split("\\s+");
                String kind = info.length == 0 ? "" : info[0].toLowerCase(Locale.ROOT);
                boolean registry = false;
                if (kind.equals("sh") || kind.equals("check")) {
                    for (int f = 1; f < info.length; f++) {
                        if (!info[f].equals("registry")) {
                            throw new LessonFormatException(open, "unknown flag `" + info[f] + "` on this ```" + kind
                                    + " block. The only flag is `registry` (the block runs only when packlab is"
                                    + " given --registry).");
                        }
                        registry = true;
                    }
                }
                String literal = block.getLiteral();
                if (literal.endsWith("\n")) {
                    literal = literal.substring(0, literal.length() - 1);
                }
                String[] content = literal.isEmpty() ? new String[0] : literal.split("\n", -1);
                switch (kind) {
                    case "sh" -> steps.add(step(steps.size() + 1, open, content, registry));
                    case "check" -> {
                        for (int i = 0; i < content.length; i++) {
                            checks.parse(content[i], open.atLine(openLine + 1 + i))
                                    .ifPresent(registry ? registryChecks::add : lessonChecks::add);
                        }
                    }
                    case "hint" -> hints.add(new Hint(block.getLiteral().strip(), open));
                    default -> { /* shown, never run */ }
                }
            }
        });

        String id = front.id != null ? front.id : idFromFileName(file);
        String title = front.title != null ? front.title : firstHeading[0] != null ? firstHeading[0] : id;
        if (steps.isEmpty() && lessonChecks.isEmpty()) {
            throw new LessonFormatException(new SourceLocation(file, 1), "lesson `" + id + "` has no ```sh steps and no"
                    + " ```check block, so there is nothing to run or check. Add at least one of them.");
        }
        return new Lesson(id, title, file, body, steps, lessonChecks, registryChecks, hints, front.requires);
    }

    private static Step step(int number, SourceLocation open, String[] content, boolean registry) {
        List<Step.StepLine> lines = new ArrayList<>();
        StringBuilder pending = null;
        int pendingLine = 0;
        for (int i = 0; i < content.length; i++) {
            String raw = content[i];
            int lineNo = open.line() + 1 + i;
            String trimmed = raw.strip();
            if (pending == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (pending == null) {
                pending = new StringBuilder();
                pendingLine = lineNo;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed.substring(0, trimmed.length() - 1).strip()).append(' ');
                continue;
            }
            pending.append(trimmed);
            String command = pending.toString().strip();
            // a here-document's body follows its command line as written, up to the end word
            for (HereDocuments.Opener doc : HereDocuments.openers(command)) {
                StringBuilder text = new StringBuilder(command);
                boolean ended = false;
                while (!ended && ++i < content.length) {
                    text.append('\n').append(content[i]);
                    ended = doc.endsWith(content[i]);
                }
                if (!ended) {
                    throw new LessonFormatException(open.atLine(pendingLine), "the here-document opened on this line"
                            + " has no line `" + doc.word() + "` before the end of its block, so its text never ends."
                            + " Add a line that holds only " + doc.word() + " after its last line.");
                }
                command = text.toString();
            }
            lines.add(new Step.StepLine(command, open.atLine(pendingLine)));
            pending = null;
        }
        if (pending != null) {
            throw new LessonFormatException(open.atLine(pendingLine), "the command starting here ends with a"
                    + " backslash on the last line of its block; remove the backslash or add the continuation.");
        }
        if (lines.isEmpty()) {
            throw new LessonFormatException(open, "this ```sh block holds no command. Remove it, or use ```console"
                    + " for text that is only shown.");
        }
        return new Step(number, open, lines, registry);
    }

    private record FrontMatter(String id, String title, List<String> requires, int bodyStart) {
    }

    private static FrontMatter frontMatter(Path file, String[] lines) {
        if (lines.length == 0 || !lines[0].strip().equals("---")) {
            return new FrontMatter(null, null, List.of(), 0);
        }
        String id = null;
        String title = null;
        List<String> requires = List.of();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            SourceLocation at = new SourceLocation(file, i + 1);
            if (line.equals("---")) {
                return new FrontMatter(id, title, requires, i + 1);
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = FRONT_LINE.matcher(line);
            if (!m.matches()) {
                throw new LessonFormatException(at, "`" + line + "` is not a `key: value` line of the front matter."
                        + " The keys are id, title and requires.");
            }
            String value = unquote(m.group(2).strip());
            switch (m.group(1)) {
                case "id" -> {
                    if (!ID.matcher(value).matches()) {
                        throw new LessonFormatException(at, "the lesson id `" + value + "` should be lower-case letters,"
                                + " digits and dashes (like `add-buildpack`), so that learners can type it.");
                    }
                    id = value;
                }
                case "title" -> title = value;
                case "requires" -> requires = list(value);
                default -> throw new LessonFormatException(at, "unknown front matter key `" + m.group(1)
                        + "`. The keys are id, title and requires.");
            }
        }
        throw new LessonFormatException(new SourceLocation(file, 1), "the front matter opened by `---` on line 1 is"
                + " never closed. Add a `---` line after its last key.");
    }

    private static List<String> list(String value) {
        String inner = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        List<String> out = new ArrayList<>();
        for (String part : inner.split(",")) {
            String p = unquote(part.strip());
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    static String idFromFileName(Path file) {
        Matcher m = FILE_NAME.matcher(file.getFileName().toString());
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : file.getFileName().toString();
    }

    private static String plainText(Node node) {
        StringBuilder sb = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                sb.append(text.getLiteral());
            }

            @Override
            public void visit(org.commonmark.node.Code code) {
                sb.append(code.getLiteral());
            }
        });
        return sb.toString().strip();
    }
}
