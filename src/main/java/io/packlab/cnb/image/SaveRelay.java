package io.packlab.cnb.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A {@code docker load} archive of a new image config whose lower layers the daemon has (blank entries) and whose upper
 * layers are those of an image the daemon saved: the {@code docker save} stream is read once, entry by entry, and each
 * upper layer's tar goes straight on into the load archive; nothing is kept on disk, and memory stays one copy buffer.
 *
 * <p>Which layer a save entry holds must be known at its header, before its bytes, to send it or read past it. An
 * entry named by its diff ID ({@code blobs/sha256/<hex>} of the OCI layout, {@code <hex>.tar}) says so. The legacy
 * layout (Docker up to 24) names each layer's folder by its v1 ID, a sha256 of the folder's {@code json} (which comes
 * before {@code layer.tar} in the stream) with the layer's chain ID put in: so the chain ID, hence the layer, that
 * gives the folder's name is found by trying each of the image's. An entry known by neither way (another engine's
 * format) is sent while its sha256 is taken and used if it is an upper layer: always right, only slower.
 */
public final class SaveRelay {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX = Pattern.compile("(?<![0-9a-f])([0-9a-f]{64})(?![0-9a-f])");

    private final byte[] config;
    private final String imageId;
    private final List<String> repoTags;
    private final int lower;
    private final List<String> savedDiffIds;
    private final int from;
    private final String image;

    /**
     * @param config the new image's config; its diff IDs are {@code lower} layers the daemon has, then the saved
     *     image's layers from index {@code from} up
     * @param savedDiffIds the diff IDs of the image that {@code docker save} gives, bottom first
     * @param image the saved image's name, for messages
     */
    public SaveRelay(ImageConfig config, List<String> repoTags, int lower, List<String> savedDiffIds, int from,
            String image) {
        this.config = config.toBytes();
        this.imageId = Tars.sha256(this.config);
        this.repoTags = repoTags.stream().map(ImageArchive::withTag).toList();
        this.lower = lower;
        this.savedDiffIds = List.copyOf(savedDiffIds);
        this.from = from;
        this.image = image;
        List<String> expected = new ArrayList<>(config.diffIds().subList(0, Math.min(lower, config.diffIds().size())));
        expected.addAll(savedDiffIds.subList(from, savedDiffIds.size()));
        if (!expected.equals(config.diffIds())) {
            throw new IllegalStateException("The image config lists the layers " + config.diffIds() + ", not "
                    + expected);
        }
    }

    /** The ID the daemon will give the image: sha256 of the config bytes. */
    public String imageId() {
        return imageId;
    }

    /** Reads {@code save} (a {@code docker save} stream of the saved image) and writes the load archive to {@code out}. */
    public void relay(InputStream save, OutputStream out) throws IOException {
        Set<String> wanted = new HashSet<>(savedDiffIds.subList(from, savedDiffIds.size()));
        List<String> chains = chainIds(savedDiffIds);
        Map<String, String> sent = new HashMap<>(); // diff ID -> entry name in the load archive
        Map<String, String> folderLayer = new HashMap<>(); // legacy v1 folder -> diff ID
        byte[] buffer = new byte[256 * 1024];
        int guesses = 0;
        try (TarArchiveOutputStream tar = Tars.open(Tars.unclosable(out));
                TarArchiveInputStream in = new TarArchiveInputStream(save)) {
            String configName = imageId.substring("sha256:".length()) + ".json";
            ImageArchive.put(tar, configName, config);
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isFile()) {
                    continue; // folders, and the links by which a save names a layer it holds twice
                }
                String name = e.getName();
                String folder = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
                if (name.endsWith("/json") && e.getSize() < 1024 * 1024 && HEX.matcher(folder).matches()) {
                    int layer = legacyLayer(folder, new String(in.readAllBytes(), StandardCharsets.UTF_8), chains);
                    if (layer >= 0) {
                        folderLayer.put(folder, savedDiffIds.get(layer));
                    }
                    continue;
                }
                String diffId = folderLayer.containsKey(folder) && name.endsWith("/layer.tar") ? folderLayer.get(folder)
                        : namedLayer(name);
                if (diffId != null) {
                    if (wanted.contains(diffId) && !sent.containsKey(diffId)) {
                        String entry = diffId.substring("sha256:".length()) + ".tar";
                        copy(in, tar, entry, e.getSize(), buffer, null);
                        sent.put(diffId, entry);
                    }
                    continue;
                }
                if (name.endsWith(".tar") || name.startsWith("blobs/")) {
                    MessageDigest sha = Tars.sha256();
                    String entry = "unnamed-" + (++guesses) + ".tar";
                    copy(in, tar, entry, e.getSize(), buffer, sha);
                    String found = "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
                    if (wanted.contains(found)) {
                        sent.putIfAbsent(found, entry);
                    }
                }
            }
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("Config", configName);
            ArrayNode tags = manifest.putArray("RepoTags");
            repoTags.forEach(tags::add);
            ArrayNode names = manifest.putArray("Layers");
            for (int i = 0; i < lower; i++) {
                ImageArchive.put(tar, "blank_" + i, new byte[0]);
                names.add("blank_" + i);
            }
            for (String diffId : savedDiffIds.subList(from, savedDiffIds.size())) {
                String entry = sent.get(diffId);
                if (entry == null) {
                    throw new IOException("the engine's save of " + image + " did not hold its layer " + diffId);
                }
                names.add(entry);
            }
            ImageArchive.put(tar, "manifest.json", ImageArchive.json(JSON.createArrayNode().add(manifest)));
            tar.finish();
        }
    }

    /** The diff ID that {@code name} is named by ({@code blobs/sha256/<hex>}, {@code <hex>.tar}), if one of the image's. */
    private String namedLayer(String name) {
        Matcher m = HEX.matcher(name);
        while (m.find()) {
            String candidate = "sha256:" + m.group(1);
            if (savedDiffIds.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The chain IDs of a layer list: the first diff ID, then sha256 of "chain below + space + diff ID". */
    static List<String> chainIds(List<String> diffIds) {
        List<String> chains = new ArrayList<>();
        for (String d : diffIds) {
            chains.add(chains.isEmpty() ? d
                    : Tars.sha256((chains.get(chains.size() - 1) + " " + d).getBytes(StandardCharsets.UTF_8)));
        }
        return chains;
    }

    /**
     * The index in the image's layers of the legacy save folder {@code folder} (its v1 ID) whose {@code json} is {@code text}, or -1. The
     * engine made the v1 ID as sha256 of the compact JSON, keys sorted, of the layer's v1 record without its
     * {@code id}, with {@code layer_id} (the chain ID) and {@code parent} ({@code sha256:<parent v1 ID>}) put in; the
     * record it saves is that one with {@code id}, the bare parent ID and {@code os} (below the top layer, added after).
     */
    static int legacyLayer(String folder, String text, List<String> chains) {
        Map<String, String> members = members(text.strip());
        if (members == null) {
            return -1;
        }
        members.remove("id");
        String parent = members.get("parent");
        if (parent != null) {
            if (!parent.matches("\"[0-9a-f]{64}\"")) {
                return -1;
            }
            members.put("parent", "\"sha256:" + parent.substring(1));
        }
        for (boolean withOs : new boolean[] {false, true}) {
            Map<String, String> record = new TreeMap<>(members);
            if (!withOs) {
                record.remove("os");
            } else if (!members.containsKey("os")) {
                continue;
            }
            for (int i = 0; i < chains.size(); i++) {
                record.put("layer_id", "\"" + chains.get(i) + "\"");
                StringBuilder s = new StringBuilder("{");
                record.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append('"').append(k).append("\":")
                        .append(v));
                s.append('}');
                if (Tars.sha256(s.toString().getBytes(StandardCharsets.UTF_8)).equals("sha256:" + folder)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The top-level members of a compact JSON object, each value as its raw text; null when it is not one. */
    static Map<String, String> members(String json) {
        if (json.length() < 2 || json.charAt(0) != '{' || json.charAt(json.length() - 1) != '}') {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        int i = 1;
        int end = json.length() - 1;
        while (i < end) {
            if (json.charAt(i) != '"') {
                return null;
            }
            int k = json.indexOf('"', i + 1);
            if (k < 0 || k + 1 >= end || json.charAt(k + 1) != ':') {
                return null;
            }
            String key = json.substring(i + 1, k);
            int start = k + 2;
            int depth = 0;
            boolean inString = false;
            int j = start;
            for (; j < end; j++) {
                char c = json.charAt(j);
                if (inString) {
                    if (c == '\\') {
                        j++;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    break;
                }
            }
            if (depth != 0 || inString || j == start) {
                return null;
            }
            out.put(key, json.substring(start, j));
            i = j + 1;
        }
        return out;
    }

    private static void copy(TarArchiveInputStream in, TarArchiveOutputStream tar, String name, long size,
            byte[] buffer, MessageDigest sha) throws IOException {
        TarArchiveEntry e = Tars.entry(name, TarConstants.LF_NORMAL, 0, 0, 0644);
        e.setSize(size);
        tar.putArchiveEntry(e);
        OutputStream to = sha == null ? Tars.unclosable(tar) : new DigestOutputStream(Tars.unclosable(tar), sha);
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            to.write(buffer, 0, n);
        }
        tar.closeArchiveEntry(); // fails when the save entry was shorter than its header said
    }
}
