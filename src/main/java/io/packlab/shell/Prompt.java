package io.packlab.shell;

import io.packlab.term.DisplayWidth;
import io.packlab.term.Style;

/**
 * The shell's prompt: the lesson (number of all, and its id) and, outside the work folder's root, the
 * folder the shell is in, relative to the work folder: {@code packlab [2/7 buildpack]> } at the root,
 * {@code packlab [1/7 stack] stacks/distroless-python> } in a folder. It takes at most two thirds of
 * the terminal's width (at least {@value #MIN_BUDGET} columns): when it would take more, the lesson id
 * goes first ({@code packlab [1/7] stacks/distroless-python> }), then the folder's leading parts
 * ({@code …/distroless-python}), then the start of its last part.
 */
final class Prompt {

    static final int MIN_BUDGET = 24;
    private static final String ELLIPSIS = "…";

    private Prompt() {
    }

    /**
     * @param number the current lesson's number, from 1
     * @param of     how many lessons there are
     * @param id     the current lesson's id
     * @param folder the shell's folder relative to the work folder ({@code .} for its root; absolute outside it)
     * @param width  the terminal's width in columns (0 or less when unknown: 80)
     */
    static String of(Style style, int number, int of, String id, String folder, int width) {
        int budget = Math.max(MIN_BUDGET, (width > 0 ? width : 80) * 2 / 3);
        String full = "packlab [" + number + "/" + of + " " + id + "]";
        String brief = "packlab [" + number + "/" + of + "]";
        if (folder.equals(".")) {
            return style.cyan(fits(full, "", budget) ? full : brief) + "> ";
        }
        if (fits(full, folder, budget)) {
            return style.cyan(full) + " " + folder + "> ";
        }
        return style.cyan(brief) + " " + shorten(folder, budget - DisplayWidth.of(brief) - 3) + "> ";
    }

    /** True when {@code lesson folder> } takes at most {@code budget} columns. */
    private static boolean fits(String lesson, String folder, int budget) {
        return DisplayWidth.of(lesson) + (folder.isEmpty() ? 0 : 1 + DisplayWidth.of(folder)) + 2 <= budget;
    }

    /** The folder in at most {@code room} columns: whole, else its last parts after {@code …/}, else the end of its last part. */
    static String shorten(String folder, int room) {
        if (DisplayWidth.of(folder) <= room) {
            return folder;
        }
        String[] parts = folder.split("/");
        String tail = "";
        for (int i = parts.length - 1; i >= 0; i--) {
            if (parts[i].isEmpty()) {
                continue;
            }
            String candidate = parts[i] + (tail.isEmpty() ? "" : "/" + tail);
            if (DisplayWidth.of(ELLIPSIS + "/" + candidate) > room) {
                break;
            }
            tail = candidate;
        }
        if (!tail.isEmpty()) {
            return ELLIPSIS + "/" + tail;
        }
        String last = parts.length == 0 ? folder : parts[parts.length - 1];
        int start = 0;
        while (start < last.length() && DisplayWidth.of(ELLIPSIS + last.substring(start)) > Math.max(room, 2)) {
            start += Character.charCount(last.codePointAt(start));
        }
        return ELLIPSIS + last.substring(start);
    }
}
