package io.packlab.cnb.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The layout of the build's cache volume, which is mounted at {@code /layers} itself, so that restoring and caching a
 * layer is a rename within one file system, never a copy of its content.
 *
 * <p>The committed cache is the folder that the link {@code /layers/.packlab+cache} names, a generation
 * {@code .packlab+cache.<n>} beside it, holding {@code <escaped bp id>/<layer>/} and {@code <layer>.toml} (metadata
 * only, the flags reset, as the next build gets it back), and {@link CachedLayers#RECORDS}, the diff ID the export found
 * for each of those layers that is also a launch layer. No buildpack id can name these ({@code +} is not allowed in an
 * id, nor in its escaped form), and no shell glob a buildpack writes ({@code *}) matches a dot name.
 *
 * <p>Why a kill at any moment (kill -9 of packlab, the container removed, a power cut of the engine aside) never gives
 * the next build a layer that is half-modified or not marked cache:
 * <ul>
 * <li>Everything under {@code /layers} except the link and the generation it names is garbage: the next restore
 * removes it before anything else ({@link #sweep}). Only the link and its generation are ever trusted.</li>
 * <li>A generation is complete when the link is made to name it: the cache step fills a new generation
 * ({@code <n+1>}, removed first if a killed step left one) and only then points the link at it with one rename of a new
 * link over the old ({@code mv -T}, rename(2): atomic). A kill before that rename leaves the old link and its
 * generation; after it, the new one. The old generation is garbage from that moment on.</li>
 * <li>The cache step hard-links the layers' files into the new generation ({@code cp -al}: new folders, the same
 * files) instead of moving them: the exporter still reads {@code /layers/<bp>/<layer>} after the cache step, and no
 * one writes to a layer after its buildpack's bin/build, so both names hold the same finished content.</li>
 * <li>Restore takes the cached layers out of the committed generation (a rename of each {@code <layer>.toml}, then of
 * its folder), so a buildpack that changes a restored layer in place changes a file that the committed cache no longer
 * names. A kill between the two renames leaves a folder without its TOML in the generation, which restore ignores
 * (it restores only a layer whose TOML and folder are both there) and the next cache step drops; a TOML is never
 * left without its folder.</li>
 * <li>The price: a build that fails or is killed after the restore leaves the next build without the layers it took
 * out (it rebuilds them), where the lifecycle's cache would still hold them.</li>
 * </ul>
 *
 * <p>A volume of an earlier packlab (the committed cache in a root-owned {@code layers} folder at its top, seen here as
 * {@code /layers/layers}, without the link) is taken over as the first generation, or dropped when a
 * {@code layers.new} beside it says that its last save was cut short.
 */
final class CacheVolume {

    /** The link to the committed generation; a name no buildpack id can take. */
    static final String LINK = ".packlab+cache";

    /** The first words of the lines the restore prints, shown to the learner. */
    static final List<String> LINES = List.of("Restoring cached layer ", "Moving the build cache ",
            "Dropping the build cache ");

    private final String layers;

    /** The cache volume mounted at {@code layers} ({@link Cnb#LAYERS_DIR} in a build; a host folder in tests). */
    CacheVolume(String layers) {
        this.layers = layers;
    }

    String layers() {
        return layers;
    }

    /**
     * The restore, as root: the link made if the volume has none (an earlier packlab's cache taken over, or an empty
     * generation), everything but the committed cache removed, then each cached layer moved into
     * {@code /layers/<bp>/}; then the files under {@code fromImage} (a folder of the container laid out as
     * {@code /layers}: the TOMLs restored from the previous image), if any, are copied over them, and everything is
     * given to {@code owner}; {@code clear}: the committed cache is emptied first. It ends by printing the records of
     * {@link CachedLayers} and the fingerprints of the layers they name.
     */
    String restore(String owner, boolean clear, Optional<String> fromImage) {
        List<String> s = new ArrayList<>();
        s.add("set -e");
        s.add("cd " + layers);
        if (clear) {
            s.add("rm -f " + LINK + " && rm -rf layers.new layers");
        }
        s.add("if [ ! -L " + LINK + " ]; then");
        s.add("  rm -rf " + LINK + ".1");
        s.add("  if [ -d layers ] && [ ! -L layers ] && [ -O layers ] && [ ! -e layers.new ]; then");
        s.add("    echo 'Moving the build cache of an earlier packlab (/cache/layers of the volume) to " + layers + "/"
                + LINK + "'");
        s.add("    mv layers " + LINK + ".1");
        s.add("  else");
        s.add("    if [ -d layers ] && [ -O layers ]; then echo 'Dropping the build cache of an earlier packlab: its"
                + " last save was cut short (/cache/layers.new of the volume)'; fi");
        s.add("    mkdir " + LINK + ".1");
        s.add("  fi");
        s.add("  rm -f " + LINK + ".link && ln -s " + LINK + ".1 " + LINK + ".link && mv -T " + LINK + ".link " + LINK);
        s.add("fi");
        s.addAll(sweepLines());
        s.add("for f in \"$G\"/*/*.toml; do");
        s.add("  if [ -f \"$f\" ] && [ -d \"${f%.toml}\" ]; then");
        s.add("    b=${f%/*}; b=${b##*/}; l=${f##*/}; l=${l%.toml}");
        s.add("    mkdir -p \"$b\" && mv \"$f\" \"$b/\" && mv \"${f%.toml}\" \"$b/\"");
        s.add("    echo \"Restoring cached layer '$b:$l'\"");
        s.add("  fi");
        s.add("done");
        fromImage.ifPresent(d -> s.add("cp -pR " + AppBuilder.quoted(d) + "/. . && rm -rf " + AppBuilder.quoted(d)));
        s.add("for b in *; do if [ -d \"$b\" ] && [ ! -L \"$b\" ]; then chown -R " + owner + " \"$b\"; fi; done");
        // what the cache step recorded of the launch layers it kept, and how each of them looks now (CachedLayers)
        s.add(CachedLayers.fingerprintFunction());
        s.add("if [ -f \"$G/" + CachedLayers.RECORDS + "\" ]; then T=$(printf '\\t'); while IFS=\"$T\" read -r b l rest; do"
                + " printf '+layer\\t%s\\t%s\\t%s\\n' \"$b\" \"$l\" \"$rest\"; if $FP; then packlab_fp \"$b/$l\" \"$b/$l\"; fi;"
                + " done < \"$G/" + CachedLayers.RECORDS + "\"; fi");
        return String.join("\n", s);
    }

    /** Everything under the layers folder but the link and its generation removed; {@code G} is the generation. */
    private static List<String> sweepLines() {
        return List.of("G=$(readlink " + LINK + " || true)",
                "for f in * .[!.]* ..?*; do",
                "  if [ \"$f\" != " + LINK + " ] && [ \"$f\" != \"$G\" ] && { [ -e \"$f\" ] || [ -L \"$f\" ]; }; then"
                        + " rm -rf \"./$f\"; fi",
                "done");
    }

    /** A layer to cache: {@code bp} is the escaped buildpack id, {@code toml} the staged TOML file to keep beside it. */
    record Cached(String bp, String layer, String toml) {
    }

    /**
     * The cache step, as root: the given layers hard-linked with their TOMLs into a new generation, which the link is
     * then moved to in one rename; the generation before it is removed. The layers stay where they are.
     * {@code records}, the staged file of {@link CachedLayers#RECORDS} if there is one, is kept in the new generation.
     */
    List<String> commit(List<Cached> cached, Optional<String> records) {
        List<String> s = new ArrayList<>();
        s.add("set -e");
        s.add("cd " + layers);
        s.add("G=$(readlink " + LINK + " || true); n=${G##*.}; case $n in ''|*[!0-9]*) n=0;; esac; N=" + LINK
                + ".$((n + 1))");
        s.add("rm -rf \"$N\" " + LINK + ".link && mkdir \"$N\"");
        for (Cached c : cached) {
            s.add("mkdir -p \"$N/" + c.bp() + "\" && cp -al " + c.bp() + "/" + c.layer() + " \"$N/" + c.bp() + "/\""
                    + " && cp " + c.toml() + " \"$N/" + c.bp() + "/" + c.layer() + ".toml\"");
        }
        records.ifPresent(r -> s.add("cp " + r + " \"$N/" + CachedLayers.RECORDS + "\""));
        s.add("ln -s \"$N\" " + LINK + ".link && mv -T " + LINK + ".link " + LINK);
        s.add("if [ -n \"$G\" ] && [ \"$G\" != \"$N\" ]; then rm -rf \"./$G\"; fi");
        return s;
    }
}
