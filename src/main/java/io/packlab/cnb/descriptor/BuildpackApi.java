package io.packlab.cnb.descriptor;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Buildpack API version {@code major.minor}, with the support policy of the current lifecycle
 * (0.18 and later: Buildpack API 0.7 to 0.12).
 */
public record BuildpackApi(int major, int minor) implements Comparable<BuildpackApi> {

    /** The oldest Buildpack API the lifecycle still runs. */
    public static final BuildpackApi OLDEST_SUPPORTED = new BuildpackApi(0, 7);
    /** The newest Buildpack API the lifecycle knows. */
    public static final BuildpackApi NEWEST_SUPPORTED = new BuildpackApi(0, 12);
    /** What packlab suggests when a buildpack's API has to change: the default of {@code pack buildpack new}. */
    public static final BuildpackApi RECOMMENDED = new BuildpackApi(0, 8);

    private static final BuildpackApi OLDEST_REMOVED_IN_0_18 = new BuildpackApi(0, 2);
    private static final Pattern VERSION = Pattern.compile("v?(\\d{1,9})(?:\\.(\\d{1,9}))?");

    public BuildpackApi {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("a version has no negative parts: " + major + "." + minor);
        }
    }

    /** Reads {@code major.minor} (or {@code major}, meaning {@code major.0}), as the lifecycle does. */
    public static BuildpackApi parse(String text) {
        Matcher m = VERSION.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("could not parse '" + text + "' as version");
        }
        return new BuildpackApi(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    /** The versions the lifecycle runs, oldest first. */
    public static List<BuildpackApi> supported() {
        return List.of(new BuildpackApi(0, 7), new BuildpackApi(0, 8), new BuildpackApi(0, 9), new BuildpackApi(0, 10),
                new BuildpackApi(0, 11), new BuildpackApi(0, 12));
    }

    public boolean isSupported() {
        return compareTo(OLDEST_SUPPORTED) >= 0 && compareTo(NEWEST_SUPPORTED) <= 0;
    }

    /**
     * Why the lifecycle refuses this version and what to change, starting with the lifecycle's own words;
     * empty when it is supported.
     */
    public Optional<String> incompatibility() {
        if (isSupported()) {
            return Optional.empty();
        }
        String refusal = "buildpack API version '" + this + "' is incompatible with the lifecycle (it supports Buildpack API "
                + OLDEST_SUPPORTED + " to " + NEWEST_SUPPORTED + "): ";
        if (compareTo(NEWEST_SUPPORTED) > 0) {
            return Optional.of(refusal + "API " + this + " is newer than the lifecycle knows. Set `api = \"" + NEWEST_SUPPORTED
                    + "\"` (or older) in buildpack.toml.");
        }
        String why = compareTo(OLDEST_REMOVED_IN_0_18) >= 0
                ? "API 0.2-0.6 were removed in lifecycle 0.18."
                : "API " + this + " is older than any lifecycle pack uses today.";
        String types = typesTable() ? "" : " and move layer flags (launch, build, cache) under [types]";
        return Optional.of(refusal + why + " Set `api = \"" + RECOMMENDED + "\"` (or newer) in buildpack.toml" + types + ".");
    }

    /** API 0.10 and later declare {@code [[targets]]} and get {@code CNB_TARGET_*}; {@code [[stacks]]} is deprecated. */
    public boolean hasTargets() {
        return atLeast(0, 10);
    }

    /** API 0.9 and later write launch.toml {@code command} as an array and have no {@code direct}. */
    public boolean commandIsArray() {
        return atLeast(0, 9);
    }

    /**
     * API 0.8 and later get {@code CNB_PLATFORM_DIR}, {@code CNB_LAYERS_DIR}, {@code CNB_BUILD_PLAN_PATH} and
     * {@code CNB_BP_PLAN_PATH}.
     */
    public boolean cnbEnv() {
        return atLeast(0, 8);
    }

    /** API 0.12 and later get {@code CNB_EXEC_ENV}. */
    public boolean execEnv() {
        return atLeast(0, 12);
    }

    /** API 0.6 and later put layer flags (launch, build, cache) under {@code [types]} in {@code <layer>.toml}. */
    public boolean typesTable() {
        return atLeast(0, 6);
    }

    public boolean atLeast(int otherMajor, int otherMinor) {
        return compareTo(new BuildpackApi(otherMajor, otherMinor)) >= 0;
    }

    @Override
    public int compareTo(BuildpackApi other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
