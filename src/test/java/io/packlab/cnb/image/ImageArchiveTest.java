package io.packlab.cnb.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.engine.Engine;
import io.packlab.engine.EngineException;
import io.packlab.engine.ImageDetails;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageArchiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE_1 = "sha256:" + "1".repeat(64);
    private static final String BASE_2 = "sha256:" + "2".repeat(64);

    @TempDir
    Path temp;

    private ImageArchive archive(Layer layer) throws IOException {
        ObjectNode base = (ObjectNode) JSON.readTree("""
                {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/bin"]},
                 "rootfs":{"type":"layers","diff_ids":["%s","%s"]}}""".formatted(BASE_1, BASE_2));
        ImageConfig config = ImageConfig.derive(new ImageDetails("sha256:base", base)).withLayer(layer.diffId(),
                "test layer");
        return ImageArchive.of(config, List.of("example/app:latest")).existingLayer(BASE_1).existingLayer(BASE_2)
                .newLayer(layer);
    }

    private Layer layer() throws IOException {
        return new LayerBuilder().file("app/hello.py", "print(1)\n".getBytes(StandardCharsets.UTF_8), 65532, 65532, 0644)
                .write(temp.resolve("layer.tar"));
    }

    @Test
    void theArchiveHasTheConfigUnderItsDigestBlankBaseLayersTheNewLayerAndTheManifest() throws Exception {
        Layer layer = layer();
        ImageArchive archive = archive(layer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archive.writeTo(out);

        List<TarFiles.Read> entries = TarFiles.read(TarFiles.stream(out.toByteArray()));
        String configName = archive.imageId().substring(7) + ".json";
        String layerName = layer.diffId().substring(7) + ".tar";
        assertEquals(List.of(configName, "blank_0", "blank_1", layerName, "manifest.json"),
                entries.stream().map(r -> r.entry().getName()).toList());
        Map<String, TarFiles.Read> byName = TarFiles.byName(entries);

        byte[] config = byName.get(configName).content();
        assertEquals(archive.imageId(), Tars.sha256(config), "the config is named by the sha256 of its bytes");
        assertArrayEquals(archive.configBytes(), config);
        assertEquals(0, byName.get("blank_0").content().length);
        assertEquals(0, byName.get("blank_1").entry().getSize());
        assertArrayEquals(Files.readAllBytes(layer.path()), byName.get(layerName).content());

        JsonNode manifest = JSON.readTree(byName.get("manifest.json").content());
        assertEquals(1, manifest.size());
        assertEquals(configName, manifest.get(0).get("Config").asText());
        assertEquals("example/app:latest", manifest.get(0).get("RepoTags").get(0).asText());
        assertEquals(List.of("blank_0", "blank_1", layerName),
                JSON.convertValue(manifest.get(0).get("Layers"), List.class));

        JsonNode parsed = JSON.readTree(config);
        assertEquals(List.of(BASE_1, BASE_2, layer.diffId()), JSON.convertValue(parsed.at("/rootfs/diff_ids"), List.class));
        assertEquals(ImageConfig.CREATED, parsed.get("created").asText());

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        archive(layer).writeTo(again);
        assertArrayEquals(out.toByteArray(), again.toByteArray(), "the same image gives the same archive bytes");
    }

    @Test
    void layersThatDoNotMatchTheConfigAreRefused() throws Exception {
        Layer layer = layer();
        ImageArchive archive = archive(layer);
        archive.existingLayer(BASE_1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> archive.writeTo(new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("bottom first"), e.getMessage());
    }

    /** An engine whose loadImage does what the real one does with the stream: reads it to the end. */
    private static Engine loader(AtomicReference<byte[]> received) {
        return (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("loadImage")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    try {
                        received.set(((InputStream) args[0]).readAllBytes());
                    } catch (IOException e) {
                        throw new EngineException("Could not send an image: " + e.getMessage(), e);
                    }
                    return List.of("example/app:latest");
                });
    }

    @Test
    void loadStreamsTheArchiveToTheEngineAndReturnsTheImageId() throws Exception {
        ImageArchive archive = archive(layer());
        AtomicReference<byte[]> received = new AtomicReference<>();
        assertEquals(archive.imageId(), ImageArchive.load(loader(received), archive));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        archive.writeTo(expected);
        assertArrayEquals(expected.toByteArray(), received.get());
    }

    @Test
    void aWriterFailureIsWhatLoadThrows() throws Exception {
        Layer layer = layer();
        ImageArchive archive = archive(layer);
        Files.delete(layer.path());
        IOException e = assertThrows(IOException.class, () -> ImageArchive.load(loader(new AtomicReference<>()), archive));
        assertTrue(e.getMessage().startsWith("Writing the image archive failed"), e.getMessage());
        assertTrue(e.getMessage().contains("layer.tar"), e.getMessage());
    }

    @Test
    void anEngineFailureIsThrownAsItIs() throws Exception {
        ImageArchive archive = archive(layer());
        Engine refusing = (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> {
                    ((InputStream) args[0]).readNBytes(100); // then stops reading, as a daemon that refused
                    throw new EngineException("The Docker engine refused to load an image: no");
                });
        EngineException e = assertThrows(EngineException.class, () -> ImageArchive.load(refusing, archive));
        assertEquals("The Docker engine refused to load an image: no", e.getMessage());
    }

}
