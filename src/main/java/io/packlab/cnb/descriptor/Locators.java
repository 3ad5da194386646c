package io.packlab.cnb.descriptor;

import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** How pack tells a local path from an image or a registry id in a {@code uri}. */
final class Locators {

    /** A URI scheme followed by {@code :/}, as pack's {@code paths.IsURI} requires. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:/");

    /** A Buildpack Registry id, as pack recognises it. */
    private static final Pattern REGISTRY_ID = Pattern.compile(
            "^[a-z0-9\\-.]+/[a-z0-9\\-.]+(?:@\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.+-]*)?)?$");

    /** An image reference: {@code [registry[:port]/]path[:tag][@sha256:digest]}. */
    private static final Pattern IMAGE_REF = Pattern.compile("^(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*(?::[0-9]+)?/)?"
            + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
            + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$");

    private Locators() {
    }

    static ModuleSource classify(String uri, Path baseDir) {
        if (uri.startsWith("docker:/")) {
            String ref = uri.startsWith("docker://") ? uri.substring("docker://".length()) : uri.substring("docker:/".length());
            return new ModuleSource.Image(ref);
        }
        if (uri.startsWith("urn:cnb:")) {
            return new ModuleSource.Remote(uri);
        }
        Path base = baseDir.toAbsolutePath();
        if (SCHEME.matcher(uri).lookingAt()) {
            if (uri.toLowerCase(Locale.ROOT).startsWith("file:")) {
                try {
                    return new ModuleSource.Local(Path.of(URI.create(uri)).normalize());
                } catch (IllegalArgumentException | FileSystemNotFoundException e) {
                    return new ModuleSource.Local(base.resolve(uri.substring("file:".length()).replaceFirst("^//", ""))
                            .normalize());
                }
            }
            return new ModuleSource.Remote(uri);
        }
        Path local = base.resolve(uri).normalize();
        if (Files.exists(local) || looksLikePath(uri)) {
            return new ModuleSource.Local(local);
        }
        if (REGISTRY_ID.matcher(uri).matches()) {
            return new ModuleSource.Remote(uri);
        }
        if (IMAGE_REF.matcher(uri).matches()) {
            return new ModuleSource.Image(uri);
        }
        return new ModuleSource.Local(local);
    }

    static boolean isImageReference(String text) {
        return IMAGE_REF.matcher(text).matches();
    }

    static boolean isRegistryId(String text) {
        return REGISTRY_ID.matcher(text).matches();
    }

    private static boolean looksLikePath(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        return uri.startsWith(".") || uri.startsWith("/") || uri.startsWith("~") || uri.contains("\\")
                || lower.endsWith(".tgz") || lower.endsWith(".cnb") || lower.endsWith(".tar.gz") || lower.endsWith(".tar");
    }
}
