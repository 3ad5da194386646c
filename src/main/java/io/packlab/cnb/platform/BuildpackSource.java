package io.packlab.cnb.platform;

import io.packlab.cnb.image.TarExtractor;
import io.packlab.error.PacklabException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A buildpack on this machine as a folder: a folder is itself; a {@code .tgz}, {@code .tar.gz} or
 * {@code .tar} archive (as {@code pack buildpack package --format file} writes, buildpack.toml at its
 * top) is extracted into the operation's temporary folder first. An archive is input from outside:
 * entries that would land outside that folder ({@code ../}, absolute names, links out) refuse the
 * whole archive, with the entry and the archive named. What cannot be used is bad input (exit code 2).
 */
final class BuildpackSource {

    private BuildpackSource() {
    }

    /** Whether {@code path} names a buildpack on this machine: a folder or one of the archive kinds. */
    static boolean isLocal(Path path) {
        return Files.isDirectory(path) || Files.isRegularFile(path) && isArchive(path);
    }

    static boolean isArchive(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".tgz") || name.endsWith(".tar.gz") || name.endsWith(".tar") || name.endsWith(".cnb");
    }

    /** The folder holding the buildpack's buildpack.toml; archives are extracted under {@code temp}. */
    static Path folder(Path source, Path temp) throws IOException {
        if (Files.isDirectory(source)) {
            return source;
        }
        if (!Files.isRegularFile(source)) {
            throw PlatformException.refused("the buildpack " + source + " does not exist; give a buildpack folder or a"
                    + " .tgz archive of one.");
        }
        if (source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".cnb")) {
            throw PlatformException.refused(source + " is a .cnb buildpackage (an OCI image layout); the built-in"
                    + " platform takes buildpack folders and .tgz archives. Install pack to use .cnb files, or give"
                    + " the buildpack's folder.");
        }
        Path dest = Files.createTempDirectory(temp, "buildpack-");
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(source))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzip ? new GZIPInputStream(raw, 64 * 1024) : raw) {
                TarExtractor.extract(in, dest);
            }
        } catch (PacklabException e) {
            throw PlatformException.refused("the buildpack archive " + source + " is refused: " + e.getMessage());
        } catch (IOException e) {
            throw PlatformException.refused("the buildpack archive " + source + " cannot be read (" + e.getMessage()
                    + "); it must be a tar (optionally gzip-compressed) with buildpack.toml at its top.");
        }
        if (!Files.isRegularFile(dest.resolve("buildpack.toml"))) {
            throw PlatformException.refused("the buildpack archive " + source + " has no buildpack.toml at its top; pack"
                    + " and packlab read archives made from inside the buildpack's folder (tar -czf bp.tgz -C"
                    + " <folder> .).");
        }
        return dest;
    }
}
