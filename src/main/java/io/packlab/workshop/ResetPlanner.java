package io.packlab.workshop;

import io.packlab.engine.ContainerSummary;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineException;
import io.packlab.engine.ImageInfo;
import io.packlab.engine.ImageSummary;
import io.packlab.lesson.Lesson;
import io.packlab.progress.LessonState;
import io.packlab.progress.OwnedImage;
import io.packlab.progress.Progress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Plans and performs {@code reset}: it removes only the images, containers and volumes that the
 * progress file records packlab creating (by ID), and only while that ID still matches; it never
 * forces a removal, so an image that is also the learner's (their tag, their image built FROM it, a
 * container of theirs) stays. The {@code io.packlab.lesson} label is shown, never trusted: labelled
 * resources that are not recorded (the learner's images inherit the label) are kept and listed.
 */
final class ResetPlanner {

    private final Engine engine;
    private final Progress progress;
    private final Optional<Lesson> lesson;
    /** The lessons whose records this reset acts on. */
    private final Set<String> scope;
    private final Map<String, Optional<ImageInfo>> inspected = new HashMap<>();
    /** Labelled images that no lesson recorded: the learner's (or an earlier packlab's). */
    private List<ImageInfo> unrecorded = List.of();
    /** The images packlab made (recorded, not only tagged) that are in the engine. */
    private List<ImageInfo> packlabImages = List.of();

    ResetPlanner(Engine engine, Progress progress, Optional<Lesson> lesson) {
        this.engine = engine;
        this.progress = progress;
        this.lesson = lesson;
        this.scope = lesson.<Set<String>>map(l -> new TreeSet<>(Set.of(l.id())))
                .orElseGet(() -> new TreeSet<>(progress.lessons().keySet()));
    }

    /** The first 12 hex digits of an ID, as {@code docker images} shows it. */
    static String shortId(String id) {
        return ImageInfo.shortDigest(id);
    }

    /** A reference as the engine lists it: {@code docker.io/library/} dropped, {@code :latest} added. */
    static String normalize(String ref) {
        String r = ref;
        for (String prefix : List.of("docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/")) {
            if (r.startsWith(prefix)) {
                r = r.substring(prefix.length());
                break;
            }
        }
        if (r.contains("@")) {
            return r;
        }
        return r.indexOf(':', r.lastIndexOf('/') + 1) < 0 ? r + ":latest" : r;
    }

    private Optional<ImageInfo> inspect(String ref) {
        return inspected.computeIfAbsent(ref, engine::inspectImage);
    }

    // ---- planning ---------------------------------------------------------------------------------

    ResetPlan plan() {
        Map<String, Kept> kept = new LinkedHashMap<>();
        List<ResetPlan.Removal> removals = new ArrayList<>();
        unrecorded = new ArrayList<>();
        for (ImageSummary s : engine.listImages(List.of(Engine.LESSON_LABEL))) {
            if (!recordedAnywhere(s.id())) {
                inspect(s.id()).ifPresent(unrecorded::add);
            }
        }
        packlabImages = new ArrayList<>();
        progress.lessons().values().stream().flatMap(s -> s.images().stream()).filter(i -> !i.tagOnly())
                .map(OwnedImage::id).distinct().forEach(id -> inspect(id).ifPresent(packlabImages::add));
        planContainers(removals, kept);
        planImages(removals, kept);
        planVolumes(removals, kept);
        planUnrecordedImages(kept);
        return new ResetPlan(lesson, removals, kept.values().stream().map(Kept::build).toList());
    }

    /** What a kept resource is, its reasons (merged when several apply) and the command to remove it. */
    private static final class Kept {
        private final String what;
        private final LinkedHashSet<String> why = new LinkedHashSet<>();
        private final String command;

        Kept(String what, String command) {
            this.what = what;
            this.command = command;
        }

        ResetPlan.Kept build() {
            return new ResetPlan.Kept(what, String.join("; ", why), command);
        }
    }

    private static void keep(Map<String, Kept> kept, String key, String what, String why, String command) {
        kept.computeIfAbsent(key, k -> new Kept(what, command)).why.add(why);
    }

    private List<Map.Entry<String, LessonState>> records(boolean inScope) {
        return progress.lessons().entrySet().stream().filter(e -> scope.contains(e.getKey()) == inScope).toList();
    }

    /** The lessons (in the scope of this reset, or out of it) that recorded this image ID, and their record. */
    private Map<String, OwnedImage> recordsOf(String id, boolean inScope) {
        Map<String, OwnedImage> out = new LinkedHashMap<>();
        for (Map.Entry<String, LessonState> e : records(inScope)) {
            e.getValue().images().stream().filter(i -> i.id().equals(id)).findFirst()
                    .ifPresent(i -> out.put(e.getKey(), i));
        }
        return out;
    }

    /** True when some lesson recorded making this image (not only tagging it). */
    private boolean madeByPacklab(String id) {
        return progress.lessons().values().stream().flatMap(s -> s.images().stream())
                .anyMatch(i -> i.id().equals(id) && !i.tagOnly());
    }

    private boolean recordedAnywhere(String id) {
        return progress.lessons().values().stream().flatMap(s -> s.images().stream()).anyMatch(i -> i.id().equals(id));
    }

    private static String lessons(Set<String> ids) {
        return (ids.size() == 1 ? "lesson " : "lessons ") + String.join(", ", ids);
    }

    private static String imageName(ImageInfo info) {
        return info.repoTags().isEmpty() ? "image " + shortId(info.id())
                : "image " + String.join(", ", info.repoTags()) + " (" + shortId(info.id()) + ")";
    }

    private static String rmiCommand(ImageInfo info) {
        return "docker rmi " + (info.repoTags().isEmpty() ? shortId(info.id()) : String.join(" ", info.repoTags()));
    }

    private void planContainers(List<ResetPlan.Removal> removals, Map<String, Kept> kept) {
        Map<String, ContainerSummary> all = new LinkedHashMap<>();
        engine.listContainers(List.of()).forEach(c -> all.put(c.id(), c));
        Set<String> recorded = progress.lessons().values().stream().flatMap(s -> s.containers().stream())
                .collect(Collectors.toSet());
        Set<String> mine = new LinkedHashSet<>();
        records(true).forEach(e -> mine.addAll(e.getValue().containers()));
        for (String id : mine) {
            ContainerSummary c = all.get(id);
            if (c != null) {
                removals.add(new ResetPlan.Container(c.id(), c.name()));
            }
        }
        for (ContainerSummary c : engine.listContainers(labelFilter())) {
            if (!recorded.contains(c.id())) {
                String name = c.name().isEmpty() ? shortId(c.id()) : c.name();
                keep(kept, "container:" + c.id(), "container " + name + " (of " + c.image() + ")",
                        "packlab did not record making it (a container of a packlab image carries the label too)",
                        "docker rm -f " + name);
            }
        }
    }

    private List<String> labelFilter() {
        return Engine.labelFilter(Engine.LESSON_LABEL, lesson.map(Lesson::id).orElse(null));
    }

    private void planImages(List<ResetPlan.Removal> removals, Map<String, Kept> kept) {
        Map<String, OwnedImage> mine = new LinkedHashMap<>();
        for (Map.Entry<String, LessonState> e : records(true)) {
            e.getValue().images().forEach(i -> mine.merge(i.id(), i, ResetPlanner::merge));
        }
        for (OwnedImage record : mine.values()) {
            Optional<ImageInfo> found = inspect(record.id());
            Map<String, OwnedImage> others = recordsOf(record.id(), false);
            Set<String> othersTags = others.values().stream().flatMap(i -> i.tags().stream())
                    .map(ResetPlanner::normalize).collect(Collectors.toSet());
            List<String> own = new ArrayList<>();
            for (String tag : record.tags()) {
                Optional<ImageInfo> now = inspect(tag);
                if (now.isEmpty()) {
                    continue; // the tag is gone: nothing to do for it
                }
                if (!now.get().id().equals(record.id())) {
                    if (!recordedAnywhere(now.get().id())) {
                        keep(kept, "image:" + now.get().id(), imageName(now.get()), "its tag " + tag + " now points"
                                + " to an image packlab did not make", rmiCommand(now.get()));
                    }
                    continue;
                }
                if (othersTags.contains(normalize(tag))) {
                    keep(kept, "image:" + record.id(), imageName(now.get()), lessons(others.keySet())
                            + " made it too: `reset` of all lessons removes it", "");
                    continue;
                }
                own.add(tag);
            }
            if (found.isEmpty()) {
                continue;
            }
            ImageInfo info = found.get();
            Set<String> ownNormal = own.stream().map(ResetPlanner::normalize).collect(Collectors.toSet());
            List<String> rest = info.repoTags().stream().filter(t -> !ownNormal.contains(normalize(t))).toList();
            List<String> yours = rest.stream().filter(t -> !othersTags.contains(normalize(t))).toList();
            if (!own.isEmpty()) {
                if (rest.isEmpty() && record.tagOnly() && !madeByPacklab(record.id())) {
                    keep(kept, "image:" + record.id(), imageName(info), "packlab only tagged it, and that tag is"
                            + " its only name: the image is not packlab's", rmiCommand(info));
                    continue;
                }
                removals.add(new ResetPlan.Image(record.id(), own, rest.isEmpty(), rest, children(info), List.of()));
                if (!yours.isEmpty()) {
                    keep(kept, "image:" + record.id(), "image " + shortId(record.id()) + " as " + String.join(", ",
                            yours), "yours, you tagged packlab's image; only packlab's tag " + String.join(", ", own)
                            + " goes", "docker rmi " + String.join(" ", yours));
                }
            } else if (info.repoTags().isEmpty()) {
                if (!record.tagOnly()) {
                    removals.add(new ResetPlan.Image(record.id(), List.of(), true, List.of(), children(info),
                            record.tags()));
                }
            } else if (!yours.isEmpty()) {
                keep(kept, "image:" + record.id(), imageName(info), "packlab made it, but now it is only "
                        + String.join(", ", yours) + ", a tag of yours", rmiCommand(info));
            }
        }
        Set<String> legacy = new TreeSet<>();
        records(true).forEach(e -> legacy.addAll(e.getValue().legacyTags()));
        for (String tag : legacy) {
            inspect(tag).filter(i -> !recordedAnywhere(i.id())).ifPresent(i -> keep(kept, "image:" + i.id(),
                    imageName(i), "an earlier packlab recorded only its tag " + tag + ", not its ID, so packlab cannot"
                    + " tell it is still the image it made", rmiCommand(i)));
        }
    }

    /** How an untagged packlab image was known: {@code webapp (eeb934f5a4f8, untagged now)}. */
    private String recordedName(String id) {
        List<String> tags = progress.lessons().values().stream().flatMap(s -> s.images().stream())
                .filter(i -> i.id().equals(id)).flatMap(i -> i.tags().stream()).distinct().toList();
        return tags.isEmpty() ? "image " + shortId(id) : String.join(", ", tags) + " (" + shortId(id) + ", untagged now)";
    }

    /** The learner's images built FROM this one (its layers, then theirs; no packlab image closer), by name. */
    private List<String> children(ImageInfo image) {
        return unrecorded.stream().filter(i -> base(i).map(b -> b.id().equals(image.id())).orElse(false))
                .map(i -> i.repoTags().isEmpty() ? shortId(i.id()) : String.join(", ", i.repoTags())).toList();
    }

    /** The packlab image an image was built FROM: the one with the most of its bottom layers. */
    private Optional<ImageInfo> base(ImageInfo image) {
        return packlabImages.stream().filter(p -> !p.id().equals(image.id()) && isBuiltOn(image, p))
                .max(java.util.Comparator.comparingInt(p -> p.layers().size()));
    }

    private static OwnedImage merge(OwnedImage a, OwnedImage b) {
        LinkedHashSet<String> tags = new LinkedHashSet<>(a.tags());
        tags.addAll(b.tags());
        return new OwnedImage(a.id(), new ArrayList<>(tags), a.tagOnly() && b.tagOnly());
    }

    private void planVolumes(List<ResetPlan.Removal> removals, Map<String, Kept> kept) {
        Set<String> all = new TreeSet<>(engine.listVolumes(List.of()));
        Set<String> recorded = progress.lessons().values().stream().flatMap(s -> s.volumes().stream())
                .collect(Collectors.toSet());
        Set<String> mine = new LinkedHashSet<>();
        records(true).forEach(e -> mine.addAll(e.getValue().volumes()));
        for (String volume : mine) {
            if (!all.contains(volume)) {
                continue;
            }
            Set<String> others = new TreeSet<>();
            records(false).stream().filter(e -> e.getValue().volumes().contains(volume)).forEach(e -> others.add(e.getKey()));
            if (others.isEmpty()) {
                removals.add(new ResetPlan.Volume(volume));
            } else {
                keep(kept, "volume:" + volume, "volume " + volume, "the builds of " + lessons(others) + " use it too",
                        "docker volume rm " + volume);
            }
        }
        for (String volume : engine.listVolumes(labelFilter())) {
            if (!recorded.contains(volume)) {
                keep(kept, "volume:" + volume, "volume " + volume, "packlab did not record making it (an earlier"
                        + " packlab, or a build that was interrupted, may have)", "docker volume rm " + volume);
            }
        }
    }

    /**
     * Labelled images that no lesson recorded: the learner's (built FROM a packlab image, so they
     * inherit its label) or an earlier packlab's. Each is named with the packlab image it is built on.
     */
    private void planUnrecordedImages(Map<String, Kept> kept) {
        for (ImageSummary s : engine.listImages(labelFilter())) {
            Optional<ImageInfo> found = unrecorded.stream().filter(i -> i.id().equals(s.id())).findFirst();
            if (found.isEmpty() || kept.containsKey("image:" + s.id())) {
                continue;
            }
            ImageInfo info = found.get();
            Optional<ImageInfo> base = base(info);
            String why = base.map(b -> "yours, built FROM " + (b.repoTags().isEmpty() ? "packlab's "
                    + recordedName(b.id()) : String.join(", ", b.repoTags())))
                    .orElse("packlab did not record making it: it carries the label because it was built from a"
                            + " packlab image, or an earlier packlab made it");
            keep(kept, "image:" + s.id(), imageName(info), why, rmiCommand(info));
        }
    }

    /** True when {@code image} starts with all the layers of {@code base} (it was built FROM it). */
    static boolean isBuiltOn(ImageInfo image, ImageInfo base) {
        return !base.layers().isEmpty() && image.layers().size() >= base.layers().size()
                && image.layers().subList(0, base.layers().size()).equals(base.layers());
    }

    // ---- performing -------------------------------------------------------------------------------

    /** Removes what the plan names, checking each again first; never forced. */
    ResetPlan.Result perform(ResetPlan plan) {
        inspected.clear();
        List<String> removed = new ArrayList<>();
        Map<String, Kept> kept = new LinkedHashMap<>();
        plan.kept().forEach(k -> keep(kept, k.what(), k.what(), k.why(), k.command()));
        for (ResetPlan.Removal r : plan.removals()) {
            if (r instanceof ResetPlan.Container c) {
                engine.removeContainer(c.id());
                removed.add(c.display());
            }
        }
        for (ResetPlan.Removal r : plan.removals()) {
            if (r instanceof ResetPlan.Image image) {
                removeImage(image, removed, kept);
            }
        }
        for (ResetPlan.Removal r : plan.removals()) {
            if (r instanceof ResetPlan.Volume v) {
                try {
                    engine.removeVolume(v.name());
                    removed.add(v.display());
                } catch (EngineException e) {
                    keep(kept, v.name(), "volume " + v.name(), refusal(e), "docker volume rm " + v.name());
                }
            }
        }
        return new ResetPlan.Result(removed, kept.values().stream().map(Kept::build).toList());
    }

    private void removeImage(ResetPlan.Image image, List<String> removed, Map<String, Kept> kept) {
        List<String> untagged = new ArrayList<>();
        for (String tag : image.tags()) {
            Optional<ImageInfo> now = engine.inspectImage(tag);
            if (now.isEmpty()) {
                continue;
            }
            if (!now.get().id().equals(image.id())) {
                keep(kept, tag, imageName(now.get()), "its tag " + tag + " now points to an image packlab did not"
                        + " make", rmiCommand(now.get()));
                continue;
            }
            try {
                engine.removeImage(tag, false);
                untagged.add(tag);
            } catch (EngineException e) {
                keep(kept, tag, imageName(now.get()), refusal(e), rmiCommand(now.get()));
            }
        }
        Optional<ImageInfo> after = engine.inspectImage(image.id());
        if (after.isEmpty()) {
            removed.add(image.tags().isEmpty() ? image.display() : "image " + String.join(", ", untagged) + " ("
                    + shortId(image.id()) + ")");
            return;
        }
        if (!untagged.isEmpty()) {
            removed.add("tag " + String.join(", ", untagged) + " of image " + shortId(image.id()));
        }
        if (!after.get().repoTags().isEmpty() || !image.imageGoes()) {
            return; // it keeps tags that are not packlab's (the plan said so)
        }
        try {
            engine.removeImage(image.id(), false);
            if (image.tags().isEmpty()) {
                removed.add(image.display());
            }
        } catch (EngineException e) {
            String why = refusal(e);
            List<String> names = image.tags().isEmpty() ? image.formerly() : image.tags();
            keep(kept, image.id(), "image " + shortId(image.id()) + " (" + (names.isEmpty() ? "" : "once "
                    + String.join(", ", names) + ", ") + "untagged now)", image.children().isEmpty() ? why
                    : (image.children().size() == 1 ? "your image " : "your images ") + String.join(", ",
                    image.children()) + " is built FROM it, and Docker keeps it as its parent; it goes with a later"
                    + " `reset` once yours are gone", "");
        }
    }

    /** Why the engine refused a removal (a conflict: in use, children, other tags); anything else is thrown. */
    private static String refusal(EngineException e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf("conflict:");
        if (at >= 0) {
            return "the Docker engine refused: " + m.substring(at);
        }
        if (m.contains("in use")) {
            return "the Docker engine refused: it is in use (" + m.substring(m.lastIndexOf(':') + 1).strip() + ")";
        }
        throw e;
    }

    /**
     * The records of the lessons in scope after a reset: only what still exists (kept for a reason
     * that may pass, like a container of the learner's that uses an image), so a later reset tries again.
     */
    Map<String, LessonState> remaining() {
        inspected.clear();
        Set<String> containers = engine.listContainers(List.of()).stream().map(ContainerSummary::id)
                .collect(Collectors.toSet());
        Set<String> volumes = new TreeSet<>(engine.listVolumes(List.of()));
        Map<String, LessonState> out = new LinkedHashMap<>();
        for (Map.Entry<String, LessonState> e : records(true)) {
            LessonState s = e.getValue();
            List<OwnedImage> images = new ArrayList<>();
            for (OwnedImage i : s.images()) {
                if (inspect(i.id()).isPresent()) {
                    images.add(i); // its tags too: they name it in later summaries
                }
            }
            LessonState left = LessonState.empty().withOnly(images,
                    s.containers().stream().filter(containers::contains).toList(),
                    s.volumes().stream().filter(volumes::contains).toList(), List.of());
            if (!left.createdNothing()) {
                out.put(e.getKey(), left);
            }
        }
        return out;
    }
}
