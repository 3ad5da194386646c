package io.packlab.workshop;

import io.packlab.lesson.Lesson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code reset} will do for a lesson (or for all lessons): the resources packlab recorded making
 * that it will remove, and the ones it keeps, each with the reason and, where it helps, the
 * {@code docker} command that removes it by hand.
 */
public record ResetPlan(Optional<Lesson> lesson, List<Removal> removals, List<Kept> kept) {

    public ResetPlan {
        removals = List.copyOf(removals);
        kept = List.copyOf(kept);
    }

    /** One resource to remove; every removal is checked again right before it is made. */
    public sealed interface Removal permits Container, Image, Volume {
        /** How the prompt and the summary name it. */
        String display();
    }

    /** A container packlab recorded creating. */
    public record Container(String id, String name) implements Removal {
        @Override
        public String display() {
            return "container " + (name.isEmpty() ? ResetPlanner.shortId(id) : name);
        }
    }

    /**
     * An image packlab made: its tags that packlab gave it and that still name it are removed (never
     * with force); when {@code imageGoes}, the image goes with its last tag, else it stays for the
     * tags in {@code keptTags}. {@code children} are the learner's images built FROM it: Docker keeps
     * it as their parent when they were built with the classic builder. {@code formerly}: the tags
     * packlab gave it that no longer name it.
     */
    public record Image(String id, List<String> tags, boolean imageGoes, List<String> keptTags, List<String> children,
            List<String> formerly) implements Removal {
        public Image {
            tags = List.copyOf(tags);
            keptTags = List.copyOf(keptTags);
            children = List.copyOf(children);
            formerly = List.copyOf(formerly);
        }

        @Override
        public String display() {
            String parent = children.isEmpty() ? "" : "; Docker keeps the image itself if it is the parent of your "
                    + String.join(", ", children);
            if (tags.isEmpty()) {
                return "image " + ResetPlanner.shortId(id) + " (" + (formerly.isEmpty() ? "untagged" : "once "
                        + String.join(", ", formerly) + ", untagged now") + parent + ")";
            }
            if (imageGoes) {
                return "image " + String.join(", ", tags) + " (" + ResetPlanner.shortId(id) + parent + ")";
            }
            return "tag " + String.join(", ", tags) + " (only the tag: image " + ResetPlanner.shortId(id)
                    + " stays, it is also " + String.join(", ", keptTags) + ")";
        }
    }

    /** A volume packlab recorded creating (the build cache). */
    public record Volume(String name) implements Removal {
        @Override
        public String display() {
            return "volume " + name;
        }
    }

    /** A resource reset leaves in place, why, and the command that removes it by hand (may be empty). */
    public record Kept(String what, String why, String command) {
        /** One line for the summary. */
        public String line() {
            return "kept " + what + ": " + why + (command.isEmpty() ? "" : ". To remove it: " + command);
        }
    }

    /** How many resources will be removed. */
    public int size() {
        return removals.size();
    }

    /** The removals as the prompt lists them. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        removals.forEach(r -> names.add(r.display()));
        return names;
    }

    /** What a reset did: the resources removed, and those kept with the reason. */
    public record Result(List<String> removed, List<Kept> kept) {
        public Result {
            removed = List.copyOf(removed);
            kept = List.copyOf(kept);
        }
    }
}
