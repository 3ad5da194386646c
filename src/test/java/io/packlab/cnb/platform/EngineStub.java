package io.packlab.cnb.platform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.packlab.engine.Engine;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import io.packlab.engine.EngineInfo;
import io.packlab.engine.ImageDetails;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An engine for unit tests of the platform's operations: images are what the test puts in, a load is read to its end
 * and counted, the one container is a {@link MemoryContainer}; any other call fails the test. Never proof that a
 * build works (the ITs are).
 */
final class EngineStub {

    final Map<String, ImageDetails> images = new HashMap<>();
    final List<String> volumes = new ArrayList<>();
    final List<Long> loads = new ArrayList<>();
    /** The image config of the last load. */
    ObjectNode lastConfig;
    /** The archive of the last load, which {@code saveImage} gives back (its known layers blank, as loaded). */
    byte[] lastArchive;
    final MemoryContainer container;

    EngineStub(MemoryContainer container) {
        this.container = container;
    }

    EngineStub image(String reference, ImageDetails image) {
        images.put(reference, image);
        return this;
    }

    private void load(InputStream in) throws IOException {
        lastArchive = in.readAllBytes();
        long bytes = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(lastArchive));
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null;) {
            byte[] content = tar.readAllBytes();
            bytes += content.length;
            if (e.getName().endsWith(".json") && !e.getName().equals("manifest.json")) {
                lastConfig = (ObjectNode) Images.JSON.readTree(content);
            }
        }
        loads.add(bytes);
    }

    @SuppressWarnings("unchecked")
    Engine engine() {
        return (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> {
                    try {
                        return switch (method.getName()) {
                            case "imageDetails" -> Optional.ofNullable(images.get((String) args[0]));
                            case "info" -> new EngineInfo("unix:///stub", "20.10.0", "1.41", "overlay2", "linux",
                                    "x86_64", "/var/lib/docker", "");
                            case "loadImage" -> {
                                load((InputStream) args[0]);
                                yield List.of();
                            }
                            case "saveImage" -> new java.io.ByteArrayInputStream(lastArchive);
                            case "listVolumes" -> List.copyOf(volumes);
                            case "createVolume" -> {
                                if (!volumes.contains((String) args[0])) {
                                    volumes.add((String) args[0]);
                                }
                                yield null;
                            }
                            case "removeVolume" -> volumes.remove((String) args[0]) ? null : null;
                            case "createContainer" -> "container-1";
                            case "startContainer" -> null;
                            case "removeContainer" -> {
                                container.remove();
                                yield null;
                            }
                            case "exec" -> container.exec((List<String>) args[1], (String) args[2],
                                    (Map<String, String>) args[3], (String) args[4], (Consumer<String>) args[5]);
                            case "copyToContainer" -> {
                                container.copyIn((InputStream) args[1]);
                                yield null;
                            }
                            case "copyFromContainer" -> container.copyOut((String) args[1]);
                            default -> throw new UnsupportedOperationException("the stub engine has no " + method
                                    .getName());
                        };
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
