package io.packlab.picture;

import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.engine.Engine;
import io.packlab.engine.ImageInfo;
import io.packlab.engine.ImageSnapshot;
import io.packlab.engine.ImageSummary;
import io.packlab.error.PacklabException;
import io.packlab.term.MarkdownRenderer;
import io.packlab.term.Style;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Draws the three pictures of the tutorial (builder, build, rebase) from the images in the engine:
 * lines of at most 60 columns (fewer on a narrower terminal), in the learner's language. An image
 * that is not there gives the generic picture and a line saying which command makes the real one.
 */
public final class Pictures {

    /** Which picture. */
    public enum Kind {
        BUILDER("python:distroless"), BUILD("webapp"), REBASE("webapp");

        private final String defaultImage;

        Kind(String defaultImage) {
            this.defaultImage = defaultImage;
        }

        /** The tutorial's image for this picture, drawn when none is named. */
        public String defaultImage() {
            return defaultImage;
        }

        /** The kind a word names ({@code builder}, {@code build}, {@code rebase}), or empty. */
        public static Optional<Kind> named(String word) {
            for (Kind k : values()) {
                if (k.name().toLowerCase(Locale.ROOT).equals(word)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /** The snapshot that lesson rebase records before the rebase, which the rebase picture compares with. */
    public static final String SNAPSHOT = "before-rebase";

    /** The synopsis, for usage messages. */
    public static final String USAGE = "picture builder|build|rebase [IMAGE]";

    private static final String STACK_LABEL = "io.buildpacks.stack.id";
    /** At most this many images are inspected when looking for a builder's build image. */
    private static final int MAX_CANDIDATES = 40;

    private final Engine engine;
    private final Texts texts;
    private final Frame frame;

    /** @param width the terminal's width; pictures are drawn at this width, 60 at most */
    public Pictures(Engine engine, String lang, int width) {
        this.engine = engine;
        this.texts = Texts.of(lang);
        this.frame = new Frame(width);
    }

    /**
     * The picture of {@code kind} for {@code image}; for a rebase, compared with {@code snapshot}
     * (the state recorded before the rebase) when there is one.
     */
    public List<String> draw(Kind kind, String image, Optional<ImageSnapshot> snapshot) {
        Optional<ImageInfo> info = engine.inspectImage(image);
        List<String> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        switch (kind) {
            case BUILDER -> {
                info.ifPresent(i -> require(i, CnbLabels.BUILDER, image + " is not a builder: it has no "
                        + CnbLabels.BUILDER + " label. Name a builder, such as " + Kind.BUILDER.defaultImage()
                        + " (lesson builder)."));
                out.addAll(BuilderPicture.draw(frame, texts, image, info, info.flatMap(this::buildImage),
                        info.map(i -> history(image, i)).orElse(List.of()), info.flatMap(i -> CnbLabels.builder(
                                i.labels()).runImage()).flatMap(engine::inspectImage)));
                if (info.isEmpty()) {
                    notes.add(texts.absent(image, "pack builder create", "builder"));
                }
            }
            case BUILD -> {
                info.ifPresent(i -> requireApp(i, image));
                out.addAll(BuildPicture.draw(frame, texts, image, info));
                if (info.isEmpty()) {
                    notes.add(texts.absent(image, "pack build", "build"));
                }
            }
            case REBASE -> {
                info.ifPresent(i -> requireApp(i, image));
                Optional<ImageInfo> run = snapshot.isPresent() ? Optional.empty() : info.flatMap(i -> CnbLabels.app(
                        i.labels()).runImage()).flatMap(engine::inspectImage);
                RebasePicture.Drawing d = RebasePicture.draw(frame, texts, image, SNAPSHOT, snapshot, info, run);
                out.addAll(d.lines());
                notes.addAll(d.notes());
                if (info.isEmpty()) {
                    notes.add(texts.absent(image, "pack build", "build"));
                }
            }
        }
        MarkdownRenderer prose = new MarkdownRenderer(new Style(false), frame.width());
        notes.forEach(n -> out.addAll(prose.render(n)));
        return out;
    }

    private static void requireApp(ImageInfo image, String name) {
        require(image, CnbLabels.LIFECYCLE, name + " is not an app image built with buildpacks: it has no "
                + CnbLabels.LIFECYCLE + " label. Name one that pack build made, such as "
                + Kind.BUILD.defaultImage() + " (lesson build).");
    }

    private static void require(ImageInfo image, String label, String message) {
        if (!image.labels().containsKey(label)) {
            throw PacklabException.usage(message);
        }
    }

    /**
     * The image in the engine whose layers are the builder's bottom ones, the longest such: its build
     * image. Looked for among the images of the builder's stack, or among tagged images when it names none.
     */
    private Optional<BuilderPicture.Base> buildImage(ImageInfo builder) {
        String stack = builder.labels().get(STACK_LABEL);
        List<ImageSummary> candidates = engine.listImages(stack == null ? List.of() : List.of(STACK_LABEL + "=" + stack));
        BuilderPicture.Base best = null;
        int looked = 0;
        for (ImageSummary c : candidates) {
            if (c.id().equals(builder.id()) || c.repoTags().isEmpty() || looked++ >= MAX_CANDIDATES) {
                continue;
            }
            Optional<ImageInfo> i = engine.inspectImage(c.id());
            if (i.isEmpty()) {
                continue;
            }
            List<String> layers = i.get().layers();
            if (layers.size() < builder.layers().size() && builder.layers().subList(0, layers.size()).equals(layers)
                    && (best == null || layers.size() > best.layers().size())) {
                String tag = c.repoTags().stream().filter(t -> !t.endsWith("<none>")).findFirst()
                        .orElse(i.get().shortId());
                best = new BuilderPicture.Base(tag, layers);
            }
        }
        return Optional.ofNullable(best);
    }

    /** What made each layer ({@code created_by}, bottom first), or empty when the history does not match the layers. */
    private List<String> history(String name, ImageInfo image) {
        List<String> out = new ArrayList<>();
        engine.imageDetails(name).ifPresent(d -> {
            for (JsonNode h : d.config().path("history")) {
                if (!h.path("empty_layer").asBoolean(false)) {
                    out.add(h.path("created_by").asText(""));
                }
            }
        });
        return out.size() == image.layers().size() ? out : List.of();
    }
}
