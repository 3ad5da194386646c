package io.packlab.picture;

import io.packlab.engine.ImageInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Images as the tutorial makes them, with their buildpacks labels written out as JSON. */
final class PictureFixtures {

    private PictureFixtures() {
    }

    /** A diff ID whose hex digits repeat {@code two}: easy to tell apart in the pictures. */
    static String d(String two) {
        return "sha256:" + two.repeat(32);
    }

    static final String STACK = "com.example.stacks.distroless-python";
    static final List<String> BUILD_LAYERS = List.of(d("10"), d("11"), d("12"));
    static final List<String> RUN_LAYERS = List.of(d("20"), d("21"), d("22"), d("23"));

    static ImageInfo image(String id, String tag, Map<String, String> labels, List<String> layers) {
        return new ImageInfo(id, List.of(tag), labels, List.of(), "1000:1000", "", List.of(), List.of(), layers, 1);
    }

    static ImageInfo buildImage() {
        return image(d("e1"), "distroless-python:build", Map.of("io.buildpacks.stack.id", STACK), BUILD_LAYERS);
    }

    static ImageInfo runImage(List<String> layers) {
        return image(d("e2"), "distroless-python:run", Map.of("io.buildpacks.stack.id", STACK), layers);
    }

    static Map<String, String> builderLabels() {
        return Map.of(
                "io.buildpacks.stack.id", STACK,
                "io.buildpacks.builder.metadata", "{\"description\":\"Python apps\",\"buildpacks\":[{\"id\":"
                        + "\"example/python\",\"version\":\"0.0.1\"}],\"stack\":{\"runImage\":{\"image\":"
                        + "\"distroless-python:run\",\"mirrors\":[]}},\"images\":[{\"image\":\"distroless-python:run\"}],"
                        + "\"lifecycle\":{\"version\":\"0.21.0-packlab\"},\"createdBy\":{\"name\":\"packlab\"}}",
                "io.buildpacks.buildpack.order", "[{\"group\":[{\"id\":\"example/python\",\"version\":\"0.0.1\"}]}]",
                "io.buildpacks.buildpack.layers", "{\"example/python\":{\"0.0.1\":{\"api\":\"0.9\",\"layerDiffID\":\""
                        + d("b0") + "\"}}}");
    }

    /** A builder as packlab's built-in platform lays it out: buildpacks, the launcher, then the CNB files. */
    static ImageInfo builtinBuilder() {
        List<String> layers = new ArrayList<>(BUILD_LAYERS);
        layers.addAll(List.of(d("b0"), d("1c"), d("cf")));
        return image(d("f0"), "python:distroless", builderLabels(), layers);
    }

    /** The history packlab's built-in platform writes for that builder, bottom first. */
    static List<String> builtinHistory() {
        return List.of("FROM debian", "RUN apt-get install python3", "USER 1000", "Buildpack: example/python@0.0.1",
                "Lifecycle: packlab's launcher 0.21.0-packlab", "Builder: order, stack, run images, workspace");
    }

    /** A builder as pack lays it out: the lifecycle, the buildpacks, then order, stack and run files. */
    static ImageInfo packBuilder() {
        List<String> layers = new ArrayList<>(BUILD_LAYERS);
        layers.addAll(List.of(d("1c"), d("b0"), d("0f"), d("5f")));
        return image(d("f1"), "python:distroless", builderLabels(), layers);
    }

    static final List<String> APP_LAYERS = List.of(d("d1"), d("d2"), d("a0"), d("1a"), d("cc"), d("9e"));

    static String lifecycleLabel(String topLayer) {
        return "{\"app\":[{\"sha\":\"" + d("a0") + "\"}],\"config\":{\"sha\":\"" + d("cc") + "\"},"
                + "\"launcher\":{\"sha\":\"" + d("1a") + "\"},\"process-types\":{\"sha\":\"" + d("9e") + "\"},"
                + "\"buildpacks\":[{\"key\":\"example/python\",\"version\":\"0.0.1\",\"layers\":{"
                + "\"deps\":{\"sha\":\"" + d("d1") + "\",\"data\":{},\"launch\":true,\"cache\":true},"
                + "\"runtime\":{\"sha\":\"" + d("d2") + "\",\"data\":{},\"launch\":true}}}],"
                + "\"runImage\":{\"topLayer\":\"" + topLayer + "\",\"reference\":\"" + d("e2") + "\",\"image\":"
                + "\"distroless-python:run\"},\"stack\":{\"runImage\":{\"image\":\"distroless-python:run\"}}}";
    }

    static Map<String, String> appLabels(String topLayer) {
        return Map.of("io.buildpacks.stack.id", STACK,
                "io.buildpacks.lifecycle.metadata", lifecycleLabel(topLayer),
                "io.buildpacks.build.metadata", "{\"bom\":[],\"buildpacks\":[{\"id\":\"example/python\",\"version\":"
                        + "\"0.0.1\",\"api\":\"0.9\"}],\"processes\":[{\"type\":\"web\",\"command\":[\"python3\"],"
                        + "\"args\":[\"app.py\"],\"direct\":true,\"buildpackID\":\"example/python\"}]}");
    }

    /** webapp as lesson build makes it, on the run image's four layers. */
    static ImageInfo app() {
        List<String> layers = new ArrayList<>(RUN_LAYERS);
        layers.addAll(APP_LAYERS);
        return image(d("aa"), "webapp", appLabels(d("23")), layers);
    }

    /** webapp after lesson rebase: the same app layers on the patched run image (one layer more). */
    static ImageInfo rebased() {
        List<String> layers = new ArrayList<>(patchedRun());
        layers.addAll(APP_LAYERS);
        return image(d("ab"), "webapp", appLabels(d("24")), layers);
    }

    static List<String> patchedRun() {
        List<String> run = new ArrayList<>(RUN_LAYERS);
        run.add(d("24"));
        return run;
    }
}
