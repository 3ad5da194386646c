package io.packlab.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.packlab.engine.ImageInfo;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

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
                "image REF user not root");
    }

    @Override
    public Check parse(Tokens t) {
        String ref = t.next("an image reference");
        String what = t.expect("exists", "absent", "label", "env", "user");
        Check check = switch (what) {
            case "exists" -> new ImageCheck(t, ref, "image " + ref + " exists", (c, image) ->
                    CheckResult.pass(c, "image " + ref + " (" + image.shortId() + ")"));
            case "absent" -> absent(t, ref);
            case "label" -> label(t, ref);
            case "env" -> env(t, ref);
            default -> {
                t.expect("not");
                t.expect("root");
                yield new ImageCheck(t, ref, "a user that is not root", (c, image) -> {
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
            return new ImageCheck(t, ref, "label " + key, (c, image) -> CheckResult.of(c,
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
            return new ImageCheck(t, ref, key + " at " + pointer, (c, image) -> {
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
        return new ImageCheck(t, ref, key + "=" + expected, (c, image) -> CheckResult.of(c,
                expected.equals(image.labels().get(key)), key + "=" + expected,
                image.label(key).map(v -> key + "=" + abbreviate(v)).orElse("no label " + key + " on " + ref)));
    }

    private static Check env(Tokens t, String ref) {
        String name = t.next("an environment variable name");
        if (t.accept("exists")) {
            return new ImageCheck(t, ref, name + " in the image env", (c, image) -> CheckResult.of(c,
                    image.envValue(name).isPresent(), name + " set in the image env",
                    image.envValue(name).map(v -> name + "=" + v).orElse(name + " not set")));
        }
        acceptEquals(t);
        String expected = t.next("the expected value");
        return new ImageCheck(t, ref, name + "=" + expected, (c, image) -> CheckResult.of(c,
                image.envValue(name).filter(expected::equals).isPresent(), name + "=" + expected,
                image.envValue(name).map(v -> name + "=" + v).orElse(name + " not set")));
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

    /** A check on an image that must exist; a missing image fails with its name. */
    private static final class ImageCheck extends LineCheck {

        private final String ref;
        private final String expectation;
        private final BiFunction<Check, ImageInfo, CheckResult> onImage;

        ImageCheck(Tokens tokens, String ref, String expectation, BiFunction<Check, ImageInfo, CheckResult> onImage) {
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
            return onImage.apply(this, image.get());
        }
    }
}
