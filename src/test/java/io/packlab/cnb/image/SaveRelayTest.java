package io.packlab.cnb.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.engine.ImageDetails;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

/**
 * The rebase's relay from a {@code docker save} stream into a load archive. The legacy layout is the one a Docker
 * 20.10 engine saved (its folder names and {@code json} records kept under {@code docker-20.10-save/}, the layer
 * contents replaced by small stand-ins), so the layer each folder holds is found as that engine named it.
 */
class SaveRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURE = "/io/packlab/cnb/image/docker-20.10-save/";

    private static String resource(String name) throws IOException {
        try (InputStream in = SaveRelayTest.class.getResourceAsStream(FIXTURE + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> lines(String name) throws IOException {
        return resource(name).lines().filter(l -> !l.isBlank()).toList();
    }

    /** The new config: {@code lower} run layers (made up), then the saved image's layers from {@code from}. */
    private static ImageConfig config(int lower, List<String> saved, int from) throws IOException {
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < lower; i++) {
            diffs.add("sha256:" + String.valueOf((char) ('a' + i)).repeat(64));
        }
        diffs.addAll(saved.subList(from, saved.size()));
        ObjectNode json = (ObjectNode) JSON.readTree("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        diffs.forEach(((com.fasterxml.jackson.databind.node.ArrayNode) json.path("rootfs").path("diff_ids"))::add);
        return ImageConfig.of(new ImageDetails("sha256:x", json));
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** A legacy save: per folder (in name order) VERSION, json, layer.tar; then the config, manifest and repositories. */
    private static byte[] legacySave(List<String> folders) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (String folder : folders.stream().sorted().toList()) {
                tar.putArchiveEntry(new TarArchiveEntry(folder + "/", TarConstants.LF_DIR));
                tar.closeArchiveEntry();
                file(tar, folder + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
                file(tar, folder + "/json", resource(folder + ".json").getBytes(StandardCharsets.UTF_8));
                file(tar, folder + "/layer.tar", ("content of " + folder).getBytes(StandardCharsets.UTF_8));
            }
            file(tar, "manifest.json", "[]".getBytes(StandardCharsets.UTF_8));
            file(tar, "repositories", "{}".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static Map<String, TarFiles.Read> relay(SaveRelay relay, byte[] save) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        relay.relay(new ByteArrayInputStream(save), out);
        return TarFiles.byName(TarFiles.read(new ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void eachFolderOfADocker2010SaveIsKnownByItsV1Id() throws Exception {
        List<String> diffs = lines("diff_ids.txt");
        List<String> folders = lines("layers.txt");
        List<String> chains = SaveRelay.chainIds(diffs);
        for (int i = 0; i < folders.size(); i++) {
            assertEquals(i, SaveRelay.legacyLayer(folders.get(i), resource(folders.get(i) + ".json"), chains),
                    "folder " + folders.get(i));
        }
        assertEquals(-1, SaveRelay.legacyLayer(folders.get(0), resource(folders.get(1) + ".json"), chains));
    }

    @Test
    void onlyTheUpperLayersTravelTheLowerOnesAreBlankAndTheConfigIsTheNewOne() throws Exception {
        List<String> diffs = lines("diff_ids.txt");
        List<String> folders = lines("layers.txt");
        ImageConfig config = config(3, diffs, 4);
        SaveRelay relay = new SaveRelay(config, List.of("example/app"), 3, diffs, 4, "example/app");
        Map<String, TarFiles.Read> out = relay(relay, legacySave(folders));

        JsonNode manifest = JSON.readTree(out.get("manifest.json").content()).get(0);
        List<String> layers = new ArrayList<>();
        manifest.path("Layers").forEach(l -> layers.add(l.asText()));
        List<String> expected = new ArrayList<>(List.of("blank_0", "blank_1", "blank_2"));
        diffs.subList(4, diffs.size()).forEach(d -> expected.add(d.substring(7) + ".tar"));
        assertEquals(expected, layers);
        assertEquals("example/app:latest", manifest.path("RepoTags").get(0).asText());
        assertArrayEquals(config.toBytes(), out.get(relay.imageId().substring(7) + ".json").content());
        for (int i = 4; i < diffs.size(); i++) {
            assertEquals("content of " + folders.get(i), new String(out.get(diffs.get(i).substring(7) + ".tar")
                    .content(), StandardCharsets.UTF_8), "layer " + i + " came from its own folder");
        }
        assertEquals(3 + 1 + 3 + 1, out.size(), "config, blanks, the 3 upper layers, manifest; no lower layer: "
                + out.keySet());
    }

    @Test
    void aSaveOfAnotherLayoutIsReadByTheDigestsItNamesOrElseByHashingWhatItHolds() throws Exception {
        List<byte[]> contents = List.of("base".getBytes(StandardCharsets.UTF_8), "app one".getBytes(
                StandardCharsets.UTF_8), "app two".getBytes(StandardCharsets.UTF_8));
        List<String> diffs = contents.stream().map(Tars::sha256).toList();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            file(tar, "blobs/sha256/" + diffs.get(0).substring(7), contents.get(0));
            file(tar, "blobs/sha256/" + diffs.get(1).substring(7), contents.get(1));
            file(tar, "odd/name/layer.tar", contents.get(2)); // named by nothing: hashed on the way
            file(tar, "index.json", "{}".getBytes(StandardCharsets.UTF_8));
        }
        SaveRelay relay = new SaveRelay(config(1, diffs, 1), List.of("app:1"), 1, diffs, 1, "app:1");
        Map<String, TarFiles.Read> out = relay(relay, bytes.toByteArray());
        List<String> layers = new ArrayList<>();
        JSON.readTree(out.get("manifest.json").content()).get(0).path("Layers").forEach(l -> layers.add(l.asText()));
        assertEquals(List.of("blank_0", diffs.get(1).substring(7) + ".tar", "unnamed-1.tar"), layers);
        assertEquals("app two", new String(out.get("unnamed-1.tar").content(), StandardCharsets.UTF_8));
        assertTrue(out.keySet().stream().noneMatch(n -> n.contains(diffs.get(0).substring(7))), "the base layer"
                + " named by its digest is read past: " + out.keySet());
    }

    @Test
    void aSaveWithoutAnUpperLayerIsAnErrorNamingTheImageAndTheLayer() throws Exception {
        List<String> diffs = lines("diff_ids.txt");
        List<String> folders = lines("layers.txt");
        SaveRelay relay = new SaveRelay(config(3, diffs, 4), List.of("app"), 3, diffs, 4, "example/app");
        IOException e = assertThrows(IOException.class, () -> relay(relay, legacySave(folders.subList(0, 6))));
        assertEquals("the engine's save of example/app did not hold its layer " + diffs.get(6), e.getMessage());
    }
}
