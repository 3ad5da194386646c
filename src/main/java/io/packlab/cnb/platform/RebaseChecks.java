package io.packlab.cnb.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.packlab.cnb.image.ImageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lifecycle rebaser's checks of an app image against a new run image, chosen by the app's Platform API
 * ({@code CNB_PLATFORM_API} in its env). Below 0.12 (or none): the stack IDs must be equal and the run image must have
 * every mixin of the app; nothing overrides these. From 0.12: the app must not be marked {@code io.buildpacks.rebasable
 * =false}, and the run image must satisfy the app's target (os and architecture equal; variant and distribution
 * compared where the run image names them, an empty value matching anything); {@code --force} turns each of these
 * refusals into a warning.
 */
final class RebaseChecks {

    static final String MIXINS = "io.buildpacks.stack.mixins";
    static final String DISTRO_NAME = "io.buildpacks.base.distro.name";
    static final String DISTRO_VERSION = "io.buildpacks.base.distro.version";

    private RebaseChecks() {
    }

    static void validate(ImageConfig app, ImageConfig run, String runRef, String image, boolean force, Reporter out) {
        String api = app.envValue("CNB_PLATFORM_API").orElse("").strip();
        boolean below012;
        try {
            below012 = api.isEmpty() || compare(api, "0.12") < 0;
        } catch (NumberFormatException e) {
            throw new PlatformException("the app image " + image + " has CNB_PLATFORM_API=" + api + " in its env, which"
                    + " is not a Platform API version (like 0.12); the image was not made by pack or packlab, or was"
                    + " damaged.");
        }
        if (below012) {
            stack(app.labels(), run.labels(), runRef, image, api);
            mixins(app.labels(), run.labels(), runRef, image);
        } else {
            rebasable(app.labels(), image, force, out);
            target(app, run, runRef, image, force, out);
        }
    }

    private static void stack(Map<String, String> appLabels, Map<String, String> runLabels, String runRef,
            String image, String api) {
        String appStack = appLabels.getOrDefault(Cnb.LABEL_STACK_ID, "");
        String runStack = runLabels.getOrDefault(Cnb.LABEL_STACK_ID, "");
        if (appStack.isEmpty()) {
            throw new PlatformException("stack not defined on app image " + image + ".");
        }
        if (runStack.isEmpty()) {
            throw new PlatformException("stack not defined on new base image " + runRef + ".");
        }
        if (!appStack.equals(runStack)) {
            throw new PlatformException("incompatible stack: the app image " + image + " is built on stack " + appStack
                    + ", the new run image " + runRef + " is stack " + runStack + ". For an app of Platform API "
                    + (api.isEmpty() ? "(none)" : api) + " (below 0.12) the lifecycle rebases only onto the same stack,"
                    + " and --force does not change that; rebuild the app with pack build to move it to another"
                    + " stack.");
        }
    }

    /** Below 0.12: every mixin of the app (stage prefix {@code build:}/{@code run:} dropped) must be the run image's. */
    private static void mixins(Map<String, String> appLabels, Map<String, String> runLabels, String runRef,
            String image) {
        List<String> appMixins = mixins(appLabels, "app image " + image);
        List<String> runMixins = mixins(runLabels, "new run image " + runRef);
        Set<String> missing = new TreeSet<>(appMixins);
        missing.removeAll(runMixins);
        if (!missing.isEmpty()) {
            throw new PlatformException("missing required mixin(s): the new run image " + runRef + " lacks "
                    + String.join(", ", missing) + ", which the app image " + image + " records in " + MIXINS
                    + " (the run image has " + (runMixins.isEmpty() ? "none" : String.join(", ", new TreeSet<>(
                            runMixins))) + "). The app's layers may need those packages; --force does not override"
                    + " this for an app below Platform API 0.12. Rebase onto a run image that has them, or rebuild"
                    + " the app with pack build.");
        }
    }

    private static List<String> mixins(Map<String, String> labels, String what) {
        String text = labels.getOrDefault(MIXINS, "");
        if (text.isEmpty()) {
            return List.of();
        }
        JsonNode json;
        try {
            json = Images.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PlatformException("the label " + MIXINS + " of the " + what + " is not valid JSON ("
                    + e.getOriginalMessage() + "); it must be a JSON array of mixin names. The image was not made by"
                    + " pack or packlab, or was damaged.");
        }
        List<String> out = new ArrayList<>();
        if (json.isNull()) {
            return out;
        }
        if (!json.isArray()) {
            throw notNames(what);
        }
        for (JsonNode m : json) {
            if (!m.isTextual()) {
                throw notNames(what);
            }
            String name = m.asText();
            out.add(name.contains(":") ? name.substring(name.indexOf(':') + 1) : name);
        }
        return out;
    }

    private static PlatformException notNames(String what) {
        return new PlatformException("the label " + MIXINS + " of the " + what + " is not a JSON array of mixin"
                + " names. The image was not made by pack or packlab, or was damaged.");
    }

    private static void rebasable(Map<String, String> appLabels, String image, boolean force, Reporter out) {
        if ("false".equals(appLabels.get(Rebaser.REBASABLE))) {
            String what = "app image " + image + " is not marked as rebasable (it has the label " + Rebaser.REBASABLE
                    + "=false, which it takes from the run image it was built on)";
            if (!force) {
                throw new PlatformException(what + ": its layers may depend on that exact run image, so rebase"
                        + " refuses. Rebuild it with pack build, or add --force if you know the new run image is"
                        + " compatible.");
            }
            out.warn(what + "; rebasing anyway (--force)");
        }
    }

    /** From 0.12: os and architecture equal; variant and distribution where the run image names them. */
    private static void target(ImageConfig app, ImageConfig run, String runRef, String image, boolean force,
            Reporter out) {
        differs(!app.os().equals(run.os()), "the new run image " + runRef + " has os `" + run.os() + "`, the app image "
                + image + " `" + app.os() + "`: they must match for a rebase", force, out);
        differs(!app.architecture().equals(run.architecture()), "the new run image " + runRef + " has architecture `"
                + run.architecture() + "`, the app image " + image + " `" + app.architecture() + "`: they must match"
                + " for a rebase", force, out);
        differs(!app.variant().isEmpty() && !run.variant().isEmpty() && !app.variant().equals(run.variant()),
                "the new run image " + runRef + " has variant `" + run.variant() + "`, the app image " + image + " `"
                + app.variant() + "`: they must match for a rebase where both name one", force, out);
        Map<String, String> appLabels = app.labels();
        Map<String, String> runLabels = run.labels();
        boolean runDistro = runLabels.containsKey(DISTRO_NAME) || runLabels.containsKey(DISTRO_VERSION);
        boolean appDistro = appLabels.containsKey(DISTRO_NAME) || appLabels.containsKey(DISTRO_VERSION);
        if (!runDistro) {
            return;
        }
        if (!appDistro) {
            differs(true, "the new run image " + runRef + " names its distribution (" + distro(runLabels) + ") but the"
                    + " app image " + image + " names none, so the lifecycle cannot tell that they match", force, out);
            return;
        }
        for (String key : List.of(DISTRO_NAME, DISTRO_VERSION)) {
            String r = runLabels.getOrDefault(key, "");
            String a = appLabels.getOrDefault(key, "");
            differs(!r.isEmpty() && !r.equals(a), "the new run image " + runRef + " has " + key + "=" + r
                    + ", the app image " + image + " " + (appLabels.containsKey(key) ? a : "none")
                    + ": the distribution must match for a rebase", force, out);
        }
    }

    private static String distro(Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        for (String key : List.of(DISTRO_NAME, DISTRO_VERSION)) {
            if (labels.containsKey(key)) {
                parts.add(key + "=" + labels.get(key));
            }
        }
        return String.join(", ", parts);
    }

    /** A target check: refused (exit 1, naming --force) unless forced, then a warning. */
    private static void differs(boolean differs, String what, boolean force, Reporter out) {
        if (!differs) {
            return;
        }
        if (!force) {
            throw new PlatformException(what + ". Rebase onto a run image of the app's target, or add --force if you"
                    + " know the new run image is compatible.");
        }
        out.warn(what + "; rebasing anyway (--force)");
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }
}
