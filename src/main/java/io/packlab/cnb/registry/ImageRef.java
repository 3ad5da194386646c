package io.packlab.cnb.registry;

import io.packlab.error.PacklabException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference split as Docker splits it: {@code [REGISTRY/]REPOSITORY[:TAG][@DIGEST]}; the
 * first part is a registry when it has a dot or a colon or is {@code localhost}, else the image is
 * on Docker Hub ({@code docker.io}, one-part names under {@code library/}).
 *
 * @param registry   host[:port] as written ({@code docker.io} for Docker Hub)
 * @param repository the repository path in that registry
 * @param tag        the tag, {@code latest} when neither tag nor digest is given, or null
 * @param digest     the manifest digest, or null
 */
public record ImageRef(String registry, String repository, String tag, String digest) {

    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
            + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}");

    /** Parses a reference; a malformed one is a usage error that shows the expected form. */
    public static ImageRef parse(String reference) {
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw bad(reference, "the digest `" + digest + "` is not ALGORITHM:HEX");
            }
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(reference, "the tag `" + tag + "` is not a valid tag");
            }
        }
        if (!REPOSITORY.matcher(rest).matches()) {
            throw bad(reference, "the repository `" + rest + "` is not lower-case words separated by / . _ -");
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageRef(registry, rest, tag, digest);
    }

    private static PacklabException bad(String reference, String why) {
        return PacklabException.usage("`" + reference + "` is not an image reference: " + why + ". Write"
                + " REGISTRY/REPOSITORY:TAG, for example 127.0.0.1:5000/webapp:latest.");
    }

    /** The tag or digest that names the manifest ({@code /v2/<repository>/manifests/<this>}). */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** The host (without port) of the registry. */
    public String host() {
        String r = registry;
        if (r.startsWith("[")) {
            return r.substring(1, r.indexOf(']'));
        }
        int colon = r.lastIndexOf(':');
        return colon > 0 ? r.substring(0, colon) : r;
    }

    /** True for registries on this machine (localhost, 127.0.0.0/8, ::1), which are spoken to over plain http. */
    public boolean loopback() {
        String h = host().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
    }

    /** {@code registry/repository@digest}: how the lifecycle names a registry image it used. */
    public String withDigest(String manifestDigest) {
        return registry + "/" + repository + "@" + manifestDigest;
    }

    @Override
    public String toString() {
        return (registry.equals(DOCKER_HUB) ? "" : registry + "/") + repository + (tag != null ? ":" + tag : "")
                + (digest != null ? "@" + digest : "");
    }
}
