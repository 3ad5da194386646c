package io.packlab.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.engine.ImageInfo;
import java.util.List;
import java.util.Optional;

/** {@code image REF ...}: existence, labels (plain or a JSON pointer into them), env and user of an image. */
final class ImageVerb implements CheckVerb {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "image";
    }

    @Override
    public List<String> synopsis() {
        return List.of(
                "image REF exists",
                "image REF absent",
                "image REF label KEY exists",
                "image REF label KEY = VALUE",
                "image REF label KEY json /JSON/POINTER = VALUE",
                "image REF env NAME exists",
                "image REF env NAME = VALUE",
                "image REF user not root",
                "image APP runs-on RUN",
                "image APP app-layers = snapshot NAME",
                "image REF id != snapshot NAME",
                "image APP config = snapshot NAME");
    }

    @Override
    public Check parse(Tokens t) {
        String ref = t.next("an image reference");
        String what = t.expect("exists", "absent", "label", "env", "user", "runs-on", "app-layers", "id",
                "config");
        Check check = switch (what) {
            case "exists" -> new ImageCheck(t, ref, "image " + ref + " exists", (c, image, ctx) ->
                    CheckResult.pass(c, "image " + ref + " (" + image.shortId() + ")"));
            case "absent" -> absent(t, ref);
            case "label" -> label(t, ref);
            case "env" -> env(t, ref);
            case "runs-on" -> runsOn(t, ref);
            case "app-layers" -> appLayers(t, ref);
            case "id" -> idChanged(t, ref);
            case "config" -> configKept(t, ref);
            default -> {
                t.expect("not");
                t.expect("root");
                yield new ImageCheck(t, ref, "a user that is not root", (c, image, ctx) -> {
                    String user = image.user();
                    String uid = user.split(":", 2)[0];
                    boolean root = uid.isEmpty() || uid.equals("root") || uid.equals("0");
                    return CheckResult.of(c, !root, "a user that is not root",
                            user.isEmpty() ? "no USER set (containers run as root)" : "user " + user);
                });
            }
        };
        t.end();
        return check;
    }

    private static Check absent(Tokens t, String ref) {
        return new LineCheck(t) {
            @Override
            public CheckResult evaluate(CheckContext context) {
                Optional<ImageInfo> image = context.image(ref);
                return CheckResult.of(this, image.isEmpty(), "no image " + ref,
                        image.map(i -> "image " + ref + " (" + i.shortId() + ")").orElse("no image " + ref));
            }
        };
    }

    private static Check label(Tokens t, String ref) {
        String key = t.next("a label key");
        if (t.accept("exists")) {
            return new ImageCheck(t, ref, "label " + key, (c, image, ctx) -> CheckResult.of(c,
                    image.labels().containsKey(key), "label " + key + " on " + ref,
                    image.label(key).map(v -> key + "=" + abbreviate(v)).orElse("no label " + key + " on " + ref)));
        }
        if (t.accept("json")) {
            String pointer = t.next("a JSON pointer such as /runImage/topLayer");
            if (!pointer.startsWith("/")) {
                throw t.error("the JSON pointer `" + pointer + "` must start with /");
            }
            acceptEquals(t);
            String expected = t.next("the expected value");
            JsonNode expectedNode = parseLenient(expected);
            return new ImageCheck(t, ref, key + " at " + pointer, (c, image, ctx) -> {
                Optional<String> label = image.label(key);
                if (label.isEmpty()) {
                    return CheckResult.fail(c, key + " " + pointer + " = " + expected, "no label " + key + " on " + ref);
                }
                JsonNode root;
                try {
                    root = JSON.readTree(label.get());
                } catch (JsonProcessingException e) {
                    return CheckResult.fail(c, key + " holding JSON", "a label that is not JSON: "
                            + abbreviate(label.get()));
                }
                JsonNode found = root.at(pointer);
                if (found.isMissingNode()) {
                    return CheckResult.fail(c, key + " " + pointer + " = " + expected, "nothing at " + pointer);
                }
                boolean equal = found.equals(expectedNode)
                        || (found.isValueNode() && found.asText().equals(expected));
                return CheckResult.of(c, equal, key + " " + pointer + " = " + expected,
                        key + " " + pointer + " = " + abbreviate(found.toString()));
            });
        }
        acceptEquals(t);
        String expected = t.next("the expected value");
        return new ImageCheck(t, ref, key + "=" + expected, (c, image, ctx) -> CheckResult.of(c,
                expected.equals(image.labels().get(key)), key + "=" + expected,
                image.label(key).map(v -> key + "=" + abbreviate(v)).orElse("no label " + key + " on " + ref)));
    }

    private static Check env(Tokens t, String ref) {
        String name = t.next("an environment variable name");
        if (t.accept("exists")) {
            return new ImageCheck(t, ref, name + " in the image env", (c, image, ctx) -> CheckResult.of(c,
                    image.envValue(name).isPresent(), name + " set in the image env",
                    image.envValue(name).map(v -> name + "=" + v).orElse(name + " not set")));
        }
        acceptEquals(t);
        String expected = t.next("the expected value");
        return new ImageCheck(t, ref, name + "=" + expected, (c, image, ctx) -> CheckResult.of(c,
                image.envValue(name).filter(expected::equals).isPresent(), name + "=" + expected,
                image.envValue(name).map(v -> name + "=" + v).orElse(name + " not set")));
    }

    /** The app's recorded run image top layer is the run image's, and the run image's layers are its bottom. */
    private static Check runsOn(Tokens t, String ref) {
        String run = t.next("the run image");
        return new ImageCheck(t, ref, "the layers of " + run + " at the bottom", (c, app, ctx) -> {
            String expected = ref + " on the current layers of " + run + " (runImage.topLayer = its top layer)";
            Optional<ImageInfo> runImage = ctx.image(run);
            if (runImage.isEmpty()) {
                return CheckResult.fail(c, expected, "no image " + run + " in the engine");
            }
            String top = LifecycleMetadata.runTopLayer(app.labels()).orElse(null);
            String runTop = runImage.get().topLayer().orElse("");
            List<String> bottom = app.layers().subList(0, Math.min(app.layers().size(), runImage.get().layers().size()));
            boolean ok = runTop.equals(top) && bottom.equals(runImage.get().layers());
            return CheckResult.of(c, ok, expected, top == null ? "no " + LifecycleMetadata.LABEL + " runImage.topLayer on "
                    + ref : "runImage.topLayer " + ImageInfo.shortDigest(top) + ", " + run + "'s top layer "
                    + ImageInfo.shortDigest(runTop)
                    + (bottom.equals(runImage.get().layers()) ? "" : "; its bottom layers are not " + run + "'s"));
        });
    }

    private static Check appLayers(Tokens t, String ref) {
        acceptEquals(t);
        t.expect("snapshot");
        String name = t.next("a snapshot name");
        return new ImageCheck(t, ref, "the app layers of snapshot " + name, (c, app, ctx) -> {
            Optional<io.packlab.engine.ImageSnapshot> snap = ctx.snapshot(name);
            String expected = "the layers above the run image unchanged since snapshot " + name;
            if (snap.isEmpty()) {
                return CheckResult.fail(c, expected, "no snapshot " + name + " was taken (its step has not run)");
            }
            List<String> now = io.packlab.engine.ImageSnapshot.of(ref, app, LifecycleMetadata.runTopLayer(app.labels())
                    .orElse(null)).appLayers();
            List<String> then = snap.get().appLayers();
            return CheckResult.of(c, now.equals(then), expected, now.equals(then) ? now.size()
                    + " app layers, the same diff IDs" : "then " + then.stream().map(ImageInfo::shortDigest).toList()
                    + ", now " + now.stream().map(ImageInfo::shortDigest).toList());
        });
    }

    private static Check idChanged(Tokens t, String ref) {
        t.expect("!=");
        t.expect("snapshot");
        String name = t.next("a snapshot name");
        return new ImageCheck(t, ref, "a new image since snapshot " + name, (c, app, ctx) -> {
            Optional<io.packlab.engine.ImageSnapshot> snap = ctx.snapshot(name);
            String expected = "an image ID other than at snapshot " + name;
            if (snap.isEmpty()) {
                return CheckResult.fail(c, expected, "no snapshot " + name + " was taken (its step has not run)");
            }
            return CheckResult.of(c, !snap.get().id().equals(app.id()), expected, "image ID " + app.shortId()
                    + (snap.get().id().equals(app.id()) ? ", the same as at the snapshot" : ", was "
                    + ImageInfo.shortDigest(snap.get().id())));
        });
    }

    /**
     * The configuration a rebase keeps and a build does not: labels and env as at the snapshot. A
     * rebase (pack's, the lifecycle's, packlab's) swaps the layers under the app and rewrites only
     * {@code io.buildpacks.lifecycle.metadata} and the run image's {@code io.buildpacks.stack.*} /
     * {@code io.buildpacks.base.*} labels; a build starts from the run image's configuration, so
     * every label and env entry of a changed run image comes with it. packlab's own lesson and owner
     * labels are left out of the comparison.
     */
    private static Check configKept(Tokens t, String ref) {
        acceptEquals(t);
        t.expect("snapshot");
        String name = t.next("a snapshot name");
        return new ImageCheck(t, ref, "the configuration of snapshot " + name, (c, app, ctx) -> {
            Optional<io.packlab.engine.ImageSnapshot> snap = ctx.snapshot(name);
            String expected = "the labels and env of snapshot " + name + ", as a rebase keeps them";
            if (snap.isEmpty()) {
                return CheckResult.fail(c, expected, "no snapshot " + name + " was taken (its step has not run)");
            }
            if (snap.get().labels() == null || snap.get().env() == null) {
                return CheckResult.fail(c, expected, "snapshot " + name + " was recorded by an older packlab, without"
                        + " labels and env; take it again");
            }
            List<String> changes = new java.util.ArrayList<>();
            java.util.Map<String, String> then = keptLabels(snap.get().labels());
            java.util.Map<String, String> now = keptLabels(app.labels());
            new java.util.TreeSet<>(now.keySet()).forEach(k -> {
                if (!then.containsKey(k)) {
                    changes.add("label " + k + "=" + abbreviate(now.get(k)) + " is new");
                } else if (!then.get(k).equals(now.get(k))) {
                    changes.add("label " + k + " changed to " + abbreviate(now.get(k)));
                }
            });
            new java.util.TreeSet<>(then.keySet()).stream().filter(k -> !now.containsKey(k))
                    .forEach(k -> changes.add("label " + k + " is gone"));
            app.env().stream().filter(e -> !snap.get().env().contains(e)).forEach(e -> changes.add("env " + e + " is new"));
            snap.get().env().stream().filter(e -> !app.env().contains(e)).forEach(e -> changes.add("env " + e + " is gone"));
            return CheckResult.of(c, changes.isEmpty(), expected, changes.isEmpty()
                    ? "the same labels and env as at snapshot " + name : String.join("; ", changes));
        });
    }

    /** The labels a rebase leaves as they were (those it rewrites, and packlab's own, removed). */
    private static java.util.Map<String, String> keptLabels(java.util.Map<String, String> labels) {
        java.util.Map<String, String> kept = new java.util.TreeMap<>(labels);
        kept.keySet().removeIf(k -> k.equals("io.buildpacks.lifecycle.metadata") || k.startsWith("io.buildpacks.stack.")
                || k.startsWith("io.buildpacks.base.") || k.equals(io.packlab.engine.Engine.LESSON_LABEL)
                || k.equals(io.packlab.engine.Owner.LABEL));
        return kept;
    }

    private static void acceptEquals(Tokens t) {
        t.expect("=", "==");
    }

    private static JsonNode parseLenient(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    static String abbreviate(String value) {
        String oneLine = value.replace('\n', ' ');
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 197) + "...";
    }

    /** What a check does with an image that exists. */
    @FunctionalInterface
    private interface OnImage {
        CheckResult apply(Check check, ImageInfo image, CheckContext context);
    }

    /** A check on an image that must exist; a missing image fails with its name. */
    private static final class ImageCheck extends LineCheck {

        private final String ref;
        private final String expectation;
        private final OnImage onImage;

        ImageCheck(Tokens tokens, String ref, String expectation, OnImage onImage) {
            super(tokens);
            this.ref = ref;
            this.expectation = expectation;
            this.onImage = onImage;
        }

        @Override
        public CheckResult evaluate(CheckContext context) {
            Optional<ImageInfo> image = context.image(ref);
            if (image.isEmpty()) {
                return CheckResult.fail(this, expectation.startsWith("image ") ? expectation
                        : "image " + ref + " with " + expectation, "no image " + ref + " in the engine");
            }
            return onImage.apply(this, image.get(), context);
        }
    }
}
