package io.packlab.cnb.platform;

import io.packlab.cnb.descriptor.BuildpackApi;
import io.packlab.cnb.image.ImageConfig;
import io.packlab.cnb.image.LayerBuilder;
import io.packlab.cnb.metadata.BuildMetadata;
import io.packlab.cnb.metadata.LifecycleMetadata;
import io.packlab.cnb.metadata.MetadataException;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle's restore phase: cached layers back from the committed cache into {@code /layers} (moved within the
 * cache volume, which is {@code /layers} itself: see {@link CacheVolume}), and from the previous
 * image's lifecycle metadata the {@code <layer>.toml} of its launch layers and each buildpack's {@code store.toml}. A
 * restored layer's TOML has its flags reset (Buildpack API 0.6 and later): the buildpack sets them again if it keeps it.
 */
final class Restorer {

    private final BuildContainer container;
    private final Reporter out;
    private final CacheVolume volume;

    Restorer(BuildContainer container, Reporter out) {
        this(container, out, new CacheVolume(Cnb.LAYERS_DIR));
    }

    Restorer(BuildContainer container, Reporter out, CacheVolume volume) {
        this.container = container;
        this.out = out;
        this.volume = volume;
    }

    /** The buildpack ids the build knows, by their folder names in /layers; names of one id only. */
    private final Map<String, String> ids = new LinkedHashMap<>();

    /**
     * Shows the restored layers with the ids of {@code buildpacks} ({@code examples/node:deps}, as the rest of the
     * build names them) instead of their folder names in /layers ({@code examples_node}); a folder name that two of
     * them share stays as it is.
     */
    Restorer naming(java.util.Collection<String> buildpacks) {
        java.util.Set<String> shared = new java.util.HashSet<>();
        for (String id : new java.util.LinkedHashSet<>(buildpacks)) {
            String dir = Cnb.escape(id);
            if (ids.containsKey(dir) || shared.contains(dir)) {
                ids.remove(dir);
                shared.add(dir);
            } else {
                ids.put(dir, id);
            }
        }
        return this;
    }

    /** A line of the restore, with the buildpack's id in place of its folder name where {@link #naming} knows it. */
    String named(String line) {
        String restoring = CacheVolume.LINES.get(0) + "'";
        int colon = line.indexOf(':', restoring.length());
        if (!line.startsWith(restoring) || colon < 0) {
            return line;
        }
        String id = ids.get(line.substring(restoring.length(), colon));
        return id == null ? line : restoring + id + line.substring(colon);
    }

    /** Where the TOMLs restored from the previous image wait, in the container, for the restore's line to place them. */
    static final String STAGED = BuildContainer.WORK + "/restored";

    /**
     * The restore made ready: its shell line, to run as root (on its own, or after the prepare's line in the same
     * exec), and what it says.
     */
    final class Restore {
        private final String script;
        private final List<java.util.function.Consumer<Reporter>> said;
        private final CachedLayers cached = CachedLayers.none();

        private final boolean clear;

        private Restore(String script, List<java.util.function.Consumer<Reporter>> said, boolean clear) {
            this.script = script;
            this.said = said;
            this.clear = clear;
        }

        /** Before the line runs, as the restore phase starts: says that the cache is cleared, if it is. */
        void starting() {
            if (clear) {
                out.info("Clearing the cache (--clear-cache)");
            }
        }

        /** The shell line, as root; it runs in a subshell of its own ({@code set -e}, {@code cd}). */
        String script() {
            return "(\n" + script + "\n)";
        }

        /** Takes a line the shell line printed: the learner's are shown, the records and fingerprints kept. */
        void line(String line) {
            if (!cached.restoreLine(line) && CacheVolume.LINES.stream().anyMatch(line::startsWith)) {
                out.info(named(line));
            }
        }

        /** After the line ran: says what was restored from the image. */
        void done() {
            said.forEach(s -> s.accept(out));
        }

        /** What the cache step recorded of the restored launch layers, once the line ran. */
        CachedLayers cached() {
            return cached;
        }
    }

    /**
     * The restore: cached layers back from the volume, then the TOMLs of the previous image's launch layers and the
     * stores; returns what the cache step recorded of the restored launch layers ({@link CachedLayers}).
     */
    CachedLayers restore(Optional<ImageDetails> previous, boolean clearCache, Path temp)
            throws IOException, InterruptedException {
        LayerBuilder files = new LayerBuilder();
        Restore r = prepare(previous, clearCache, files);
        if (!files.names().isEmpty()) {
            container.copyIn(files, temp.resolve("restored.tar"));
        }
        r.starting();
        container.root(r.script(), r::line);
        r.done();
        return r.cached();
    }

    /**
     * The restore made ready ({@link Restore}), the files its line needs added to {@code files}, which must be copied
     * in before it runs: a build copies them in with the prepare's and runs the line in the prepare's exec, one copy
     * and one exec fewer than a restore of its own.
     */
    Restore prepare(Optional<ImageDetails> previous, boolean clearCache, LayerBuilder files) {
        List<java.util.function.Consumer<Reporter>> said = new ArrayList<>();
        boolean any = previous.isPresent() && fromImage(previous.get(), files, said);
        return new Restore(volume.restore(container.user().spec(), clearCache, any ? Optional.of(STAGED + "/layers")
                : Optional.empty()), said, clearCache);
    }

    /**
     * Adds to {@code files}, under {@link #STAGED}, the files restored from the previous image's metadata, owned by the
     * CNB user, and to {@code said} what to say of them; false when there are none.
     */
    private boolean fromImage(ImageDetails previous, LayerBuilder files, List<java.util.function.Consumer<Reporter>> said) {
        Map<String, String> labels = ImageConfig.of(previous).labels();
        if (!labels.containsKey(LifecycleMetadata.LABEL)) {
            return false;
        }
        LifecycleMetadata meta;
        try {
            meta = LifecycleMetadata.of(labels, previous.id());
        } catch (MetadataException e) {
            String warning = e.problem() == MetadataException.Problem.NOT_JSON
                    ? "the previous image's lifecycle metadata is not JSON; nothing is restored from it"
                    : e.getMessage() + " Nothing is restored from it.";
            said.add(o -> o.warn(warning));
            return false;
        }
        CnbUser user = container.user();
        String staged = STAGED.substring(1) + "/layers/";
        int n = 0;
        Map<String, BuildpackApi> apis = previousApis(labels);
        for (LifecycleMetadata.BuildpackEntry bp : meta.buildpackEntries()) {
            String key = bp.key() == null ? "" : bp.key();
            String dir = staged + Cnb.escape(key);
            BuildpackApi api = apis.getOrDefault(key, BuildpackApi.NEWEST_SUPPORTED);
            Map<String, LifecycleMetadata.LayerMetadata> layers = bp.layers() == null ? Map.of() : bp.layers();
            for (Map.Entry<String, LifecycleMetadata.LayerMetadata> e : layers.entrySet()) {
                if (!RestoredFiles.fromImage(e.getValue())) {
                    continue; // cache layers come with their content from the cache volume; build layers are rebuilt
                }
                Object data = TomlWriter.plain(e.getValue().data());
                String toml = RestoredFiles.layerToml(data instanceof Map<?, ?> m ? stringKeys(m) : Map.of(), true,
                        false, false, api);
                files.file(dir + "/" + e.getKey() + ".toml", toml.getBytes(StandardCharsets.UTF_8), user.uid(),
                        user.gid(), 0644);
                String message = "Restoring metadata for \"" + key + ":" + e.getKey() + "\" from app image";
                said.add(o -> o.info(message));
                n++;
            }
            Optional<String> store = RestoredFiles.storeToml(bp.store());
            if (store.isPresent()) {
                files.file(dir + "/store.toml", store.get().getBytes(StandardCharsets.UTF_8), user.uid(), user.gid(),
                        0644);
                n++;
            }
        }
        return n > 0;
    }

    /** The Buildpack API of each buildpack of the previous image, by id (its build metadata); unreadable ones left out. */
    private static Map<String, BuildpackApi> previousApis(Map<String, String> labels) {
        Map<String, BuildpackApi> apis = new LinkedHashMap<>();
        for (BuildMetadata.Buildpack bp : BuildMetadata.find(labels).map(BuildMetadata::buildpackList)
                .orElse(List.of())) {
            if (bp.id() == null || bp.api() == null) {
                continue;
            }
            try {
                apis.put(bp.id(), BuildpackApi.parse(bp.api()));
            } catch (IllegalArgumentException e) {
                // an unreadable record: the newest API's rules apply to this buildpack
            }
        }
        return apis;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
