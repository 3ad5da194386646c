package io.packlab.classroom;

import io.packlab.error.PacklabException;
import io.packlab.error.Texts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * Where a learner's packlab shows its status, and under which name: the instructor's join URL
 * ({@code http(s)://HOST:PORT/join/CODE}, CODE 26 characters a-z2-7) and the learner's name (at most
 * {@link #MAX_NAME} characters). Given by {@code --classroom}/{@code --name}, else the environment
 * ({@code PACKLAB_CLASSROOM}/{@code PACKLAB_NAME}), else {@code [classroom]} of packlab.toml.
 */
public record Classroom(URI join, String name) {

    /** The longest name accepted (the protocol's limit). */
    public static final int MAX_NAME = 64;

    public static final String URL_VARIABLE = "PACKLAB_CLASSROOM";
    public static final String NAME_VARIABLE = "PACKLAB_NAME";

    /** A setting and where it was given (for messages): {@code --classroom}, {@code PACKLAB_NAME}, {@code packlab.toml:3}. */
    public record Given(String value, String where) {
    }

    /**
     * The classroom from the flags, else the environment, else packlab.toml (each setting on its own);
     * empty when no URL is given anywhere. A URL of another form, or a missing, blank, too long or
     * unprintable name, is refused (exit 2) with what to do.
     */
    public static Optional<Classroom> resolve(String flagUrl, String flagName, Map<String, String> env,
            ClassroomToml toml) {
        Optional<Given> url = pick(flagUrl, "--classroom", env.get(URL_VARIABLE), URL_VARIABLE, toml.url());
        Optional<Given> name = pick(flagName, "--name", env.get(NAME_VARIABLE), NAME_VARIABLE, toml.name());
        if (url.isEmpty()) {
            return Optional.empty();
        }
        URI join = parseUrl(url.get());
        if (name.isEmpty()) {
            throw PacklabException.usage("a classroom is given (" + url.get().where() + ") but no name to show there."
                    + " Give your name with --name NAME (or " + NAME_VARIABLE + ", or `name` under [classroom] in"
                    + " packlab.toml), so that the instructor knows whose progress it is.");
        }
        return Optional.of(new Classroom(join, checkName(name.get())));
    }

    private static Optional<Given> pick(String flag, String flagName, String variable, String variableName,
            Optional<Given> toml) {
        if (flag != null) {
            return Optional.of(new Given(flag, flagName));
        }
        if (variable != null && !variable.isEmpty()) {
            return Optional.of(new Given(variable, variableName));
        }
        return toml;
    }

    /** The join URL, if it has the form the instructor's server prints. */
    static URI parseUrl(Given url) {
        String text = url.value().strip();
        String problem;
        try {
            URI u = new URI(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problem = "it does not start with http:// or https://";
            } else if (u.getHost() == null || u.getRawUserInfo() != null) {
                problem = "it names no host (or has a user name in it)";
            } else if (u.getPort() < 1 || u.getPort() > 65535) {
                problem = "it names no port (HOST:PORT)";
            } else if (u.getRawQuery() != null || u.getRawFragment() != null) {
                problem = "it has a query or fragment (?... or #...) after the code";
            } else if (u.getRawPath() == null || !u.getRawPath().matches("/join/[a-z2-7]{26}")) {
                problem = "its path is not /join/ followed by the 26-character code (letters a-z and digits 2-7)";
            } else {
                return new URI(scheme, null, u.getHost(), u.getPort(), u.getRawPath(), null, null);
            }
        } catch (URISyntaxException e) {
            problem = "it is not a URL (" + e.getReason() + ")";
        }
        throw PacklabException.usage("the classroom URL `" + Texts.shorten(text) + "` (" + url.where() + ") cannot be"
                + " used: " + problem + ". Copy it exactly as the instructor's `packlab classroom serve` prints it,"
                + " for example --classroom http://192.168.1.10:8800/join/abcdefghijklmnopqrstuvwxyz.");
    }

    static String checkName(Given name) {
        String n = name.value().strip();
        if (n.isEmpty()) {
            throw PacklabException.usage("the name given (" + name.where() + ") is blank. Give the name the instructor"
                    + " should see, for example --name \"Aiko T.\".");
        }
        if (n.codePointCount(0, n.length()) > MAX_NAME) {
            throw PacklabException.usage("the name given (" + name.where() + ", `" + Texts.shorten(n) + "`) is "
                    + n.codePointCount(0, n.length()) + " characters long; a classroom takes at most " + MAX_NAME
                    + ". Give a shorter name.");
        }
        if (n.codePoints().anyMatch(c -> Character.isISOControl(c))) {
            throw PacklabException.usage("the name given (" + name.where() + ") has control characters (a tab, a"
                    + " newline or an escape). Give a name of printable characters.");
        }
        return n;
    }
}
