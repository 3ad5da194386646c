package io.packlab.cnb.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How an unchanged rebuild takes a cached launch layer's diff ID without reading the layer through the engine, as the
 * lifecycle's exporter reuses a layer whose diff ID is the previous image's.
 *
 * <p>The cache step records, in the generation it commits ({@link #RECORDS}), the diff ID and size that the export
 * found for each layer that is both launch and cache, with the owner the export gave it and the layer format
 * ({@link #FORMAT}). The next restore prints those records and a fingerprint of each layer it moved back: a listing of
 * the layer's files with their type, mode, inode, size, modification and change times, hashed. After the last
 * buildpack's build the same fingerprint is taken again. When the two are equal nothing in the layer was written,
 * created, removed, renamed, linked, chmod-ed or touched during the build (any of those changes a change time, which no
 * program can set back), so its content is the one the record's diff ID was computed from, and the exporter takes the
 * diff ID from the record. If the layer has to be sent, it is read then, and its diff ID checked against the record.
 *
 * <p>Without GNU {@code find} (its {@code -printf}) or {@code sha256sum} in the builder image, no fingerprint is taken
 * and every layer is read, as before.
 */
final class CachedLayers {

    /** The records' file in a cache generation: {@code +} is in no buildpack id, so no buildpack folder is named so. */
    static final String RECORDS = "+layers";

    /**
     * The version of the layer tar the exporter writes for a folder ({@code LayerStream}'s normalisation: order,
     * owners, modes, times): a record of another version is not used. Change it when that normalisation changes.
     */
    static final String FORMAT = "1";

    /** The sha256 of nothing: what a fingerprint would be if the listing had failed silently. */
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** A layer's key in records and fingerprints: {@code <escaped bp id>/<layer>}, its path under /layers. */
    static String key(String buildpackId, String layer) {
        return Cnb.escape(buildpackId) + "/" + layer;
    }

    /** What the export found for a layer: {@code key} is {@link #key}. */
    record Record(String key, String diffId, long size, int uid, int gid) {

        /** The record's line in {@link #RECORDS}; empty for a key that a line cannot hold. */
        Optional<String> line() {
            int slash = key.indexOf('/');
            if (key.contains("\t") || key.contains("\n") || key.contains("\r") || slash <= 0) {
                return Optional.empty();
            }
            return Optional.of(key.substring(0, slash) + "\t" + key.substring(slash + 1) + "\t" + diffId + "\t" + size
                    + "\t" + uid + ":" + gid + "\t" + FORMAT);
        }
    }

    private final Map<String, Record> records = new LinkedHashMap<>();
    private final Map<String, String> atRestore = new LinkedHashMap<>();
    private final Map<String, String> afterBuild = new LinkedHashMap<>();

    /** Nothing recorded: every layer is read. */
    static CachedLayers none() {
        return new CachedLayers();
    }

    /** Takes a line of the restore: a record or a fingerprint (others are not this class's); true if it was one. */
    boolean restoreLine(String line) {
        if (line.startsWith("+layer\t")) {
            String[] f = line.split("\t", -1);
            if (f.length == 7 && f[6].equals(FORMAT) && f[3].matches("sha256:[0-9a-f]{64}") && f[4].matches("\\d{1,18}")
                    && f[5].matches("\\d{1,10}:\\d{1,10}")) {
                String[] owner = f[5].split(":");
                try {
                    Record r = new Record(f[1] + "/" + f[2], f[3], Long.parseLong(f[4]), Integer.parseInt(owner[0]),
                            Integer.parseInt(owner[1]));
                    records.put(r.key(), r);
                } catch (NumberFormatException e) {
                    // a record that does not parse is not used
                }
            }
            return true;
        }
        return fingerprint(line, atRestore);
    }

    /** Takes a line of the fingerprints after the build; true if it was one. */
    boolean builtLine(String line) {
        return fingerprint(line, afterBuild);
    }

    private static boolean fingerprint(String line, Map<String, String> into) {
        if (!line.startsWith("+fingerprint\t")) {
            return false;
        }
        String[] f = line.split("\t", -1);
        if (f.length == 3 && f[2].matches("[0-9a-f]{64}") && !f[2].equals(EMPTY)) {
            into.put(f[1], f[2]);
        }
        return true;
    }

    /** The layers to fingerprint after the build: those restored with a record and a fingerprint. */
    List<String> restored() {
        List<String> keys = new ArrayList<>();
        for (String key : records.keySet()) {
            if (atRestore.containsKey(key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * The record of the layer {@code key} when its files are as the restore left them and the export would give them
     * the owner {@code uid:gid} that the record was made with; empty otherwise (the layer is read).
     */
    Optional<Record> unchanged(String key, int uid, int gid) {
        Record r = records.get(key);
        String before = atRestore.get(key);
        if (r == null || before == null || !before.equals(afterBuild.get(key)) || r.uid() != uid || r.gid() != gid) {
            return Optional.empty();
        }
        return Optional.of(r);
    }

    /**
     * A shell function, {@code packlab_fp LABEL DIR}, that prints {@code +fingerprint<TAB>LABEL<TAB><sha256>} for the
     * folder DIR (not a link), and a variable {@code FP} that is {@code true} only where it can work (GNU find's
     * -printf, sha256sum); to be run as root, where every file can be listed.
     */
    static String fingerprintFunction() {
        return "packlab_fp() { if [ -d \"$2\" ] && [ ! -L \"$2\" ]; then h=$(find \"$2\" -printf"
                + " '%P\\0%y %m %i %s %T@ %C@ %l\\n' | sha256sum) && printf '+fingerprint\\t%s\\t%s\\n' \"$1\""
                + " \"${h%% *}\"; fi; :; }\n"
                + "if find / -maxdepth 0 -printf '' 2>/dev/null && command -v sha256sum >/dev/null 2>&1; then FP=true;"
                + " else FP=false; fi";
    }

    /** The shell lines, run in the layers folder, that print the fingerprint of each of {@code keys}. */
    static String fingerprints(Collection<String> keys) {
        StringBuilder s = new StringBuilder(fingerprintFunction()).append("\nif $FP; then :");
        for (String key : keys) {
            String q = AppBuilder.quoted(key);
            s.append("; packlab_fp ").append(q).append(' ').append(q);
        }
        return s.append("; fi").toString();
    }

    /** The content of {@link #RECORDS} for {@code exported}; empty when none of them can be recorded. */
    static String recordsFile(Collection<Record> exported) {
        StringBuilder s = new StringBuilder();
        for (Record r : exported) {
            r.line().ifPresent(l -> s.append(l).append('\n'));
        }
        return s.toString();
    }
}
