package io.packlab.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The Docker Engine API through docker-java (zerodep transport), at DOCKER_HOST or the default
 * socket. The connection is made on first use, so commands that need no engine never pay for it.
 */
public final class DockerEngine implements Engine {

    private final DockerClientConfig config;
    private DockerClient client;
    private EngineInfo info;

    private DockerEngine(DockerClientConfig config) {
        this.config = config;
    }

    /** An engine at DOCKER_HOST (and the other DOCKER_* variables) or the platform default socket. */
    public static DockerEngine fromEnvironment(Map<String, String> env) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        String host = env.get("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            builder.withDockerHost(host);
        }
        return new DockerEngine(builder.build());
    }

    public String endpoint() {
        return config.getDockerHost().toString();
    }

    private synchronized DockerClient client() {
        if (client == null) {
            DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .connectionTimeout(Duration.ofSeconds(5))
                    .build();
            client = DockerClientImpl.getInstance(config, http);
        }
        return client;
    }

    @Override
    public synchronized EngineInfo info() {
        if (info == null) {
            Version version = call("ask the engine for its version", () -> client().versionCmd().exec());
            Info daemon = call("ask the engine about itself", () -> client().infoCmd().exec());
            info = new EngineInfo(endpoint(), version.getVersion(), version.getApiVersion(), daemon.getDriver(),
                    daemon.getOperatingSystem(), daemon.getArchitecture(), daemon.getDockerRootDir());
        }
        return info;
    }

    @Override
    public Optional<ImageInfo> inspectImage(String reference) {
        try {
            InspectImageResponse r = call("inspect image " + reference,
                    () -> client().inspectImageCmd(reference).exec());
            return Optional.of(toImageInfo(r));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static ImageInfo toImageInfo(InspectImageResponse r) {
        ContainerConfig c = r.getConfig();
        Map<String, String> labels = c == null || c.getLabels() == null ? Map.of() : c.getLabels();
        List<String> env = c == null || c.getEnv() == null ? List.of() : Arrays.asList(c.getEnv());
        List<String> entrypoint = c == null || c.getEntrypoint() == null ? List.of() : Arrays.asList(c.getEntrypoint());
        List<String> cmd = c == null || c.getCmd() == null ? List.of() : Arrays.asList(c.getCmd());
        List<String> layers = r.getRootFS() == null || r.getRootFS().getLayers() == null
                ? List.of() : r.getRootFS().getLayers();
        return new ImageInfo(r.getId(), r.getRepoTags() == null ? List.of() : r.getRepoTags(), labels, env,
                c == null ? "" : c.getUser(), c == null ? "" : c.getWorkingDir(), entrypoint, cmd, layers,
                r.getSize() == null ? 0 : r.getSize());
    }

    @Override
    public List<ImageSummary> listImages(List<String> labelFilters) {
        return call("list images", () -> client().listImagesCmd().withLabelFilter(labelFilters.toArray(String[]::new))
                .exec()).stream()
                .map(i -> new ImageSummary(i.getId(), i.getRepoTags() == null ? List.of()
                        : Arrays.stream(i.getRepoTags()).filter(t -> !t.equals("<none>:<none>")).toList(),
                        i.getLabels(), i.getCreated() == null ? 0 : i.getCreated(), i.getSize() == null ? 0 : i.getSize()))
                .toList();
    }

    @Override
    public boolean removeImage(String reference, boolean force) {
        try {
            call("remove image " + reference, () -> {
                client().removeImageCmd(reference).withForce(force).exec();
                return null;
            });
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public List<ContainerSummary> listContainers(List<String> labelFilters) {
        return call("list containers", () -> client().listContainersCmd().withShowAll(true)
                .withLabelFilter(labelFilters).exec()).stream()
                .map(c -> new ContainerSummary(c.getId(),
                        c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0].replaceFirst("^/", ""),
                        c.getImage(), c.getState(), c.getLabels()))
                .toList();
    }

    @Override
    public void removeContainer(String id) {
        try {
            call("remove container " + id, () -> {
                client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
                return null;
            });
        } catch (NotFoundException e) {
            // already gone: nothing to do
        }
    }

    @Override
    public String build(BuildRequest request, BuildListener listener, Cancellation cancellation)
            throws InterruptedException {
        info(); // fail early, with the engine message, when no daemon answers
        BuildImageCmd cmd = client().buildImageCmd()
                .withBaseDirectory(request.context().toFile())
                .withTags(new HashSet<>(request.tags()))
                .withLabels(new LinkedHashMap<>(request.labels()))
                .withNoCache(request.noCache())
                .withPull(request.pull())
                .withRemove(true)
                .withForcerm(true);
        // docker-java needs the Dockerfile named even when it is the context's own
        cmd.withDockerfile(request.dockerfile().orElse(request.context().resolve("Dockerfile")).toFile());
        request.buildArgs().forEach(cmd::withBuildArg);

        AtomicReference<String> error = new AtomicReference<>();
        StringBuilder pending = new StringBuilder();
        BuildImageResultCallback callback = new BuildImageResultCallback() {
            @Override
            public void onNext(BuildResponseItem item) {
                if (item.getStream() != null) {
                    pending.append(item.getStream());
                    int nl;
                    while ((nl = pending.indexOf("\n")) >= 0) {
                        listener.onOutput(pending.substring(0, nl));
                        pending.delete(0, nl + 1);
                    }
                }
                if (item.getErrorDetail() != null) {
                    error.set(item.getErrorDetail().getMessage());
                } else if (item.getError() != null) {
                    error.set(item.getError());
                }
                super.onNext(item);
            }
        };
        Runnable stop = () -> closeQuietly(callback);
        cancellation.onCancel(stop);
        try {
            call("build " + request.tags(), () -> cmd.exec(callback));
            String imageId = callback.awaitImageId();
            if (pending.length() > 0) {
                listener.onOutput(pending.toString());
            }
            return imageId;
        } catch (DockerClientException | DockerException e) {
            if (cancellation.isCancelled()) {
                throw new InterruptedException("build cancelled");
            }
            String reason = error.get() != null ? error.get() : firstLine(e.getMessage());
            throw new EngineException("docker build of " + (request.tags().isEmpty() ? "an untagged image"
                    : String.join(", ", request.tags())) + " failed: " + reason.strip());
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                throw new InterruptedException("build cancelled");
            }
            throw e;
        } finally {
            cancellation.forget(stop);
            closeQuietly(callback);
        }
    }

    private static void closeQuietly(ResultCallback<?> callback) {
        try {
            callback.close();
        } catch (IOException | RuntimeException e) {
            // closing a finished or broken stream: nothing left to release
        }
    }

    /**
     * Runs one engine call, turning transport failures into {@link EngineUnavailableException} and
     * refusals into {@link EngineException}; {@link NotFoundException} passes through for callers.
     */
    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (NotFoundException e) {
            throw e;
        } catch (DockerException e) {
            throw new EngineException("The Docker engine refused to " + what + ": " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            Throwable transport = transportCause(e);
            if (transport != null) {
                throw new EngineUnavailableException(endpoint(), describe(transport));
            }
            throw e;
        }
    }

    private static Throwable transportCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof SocketException
                    || t.getClass().getName().startsWith("com.sun.jna.LastErrorException")) {
                return t;
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        message = message.replaceFirst("^\\[\\d+\\]\\s*", "");
        return firstLine(message).toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        String m = message.replaceFirst("^Status \\d+: ", "").strip();
        try {
            // docker-java puts the daemon's JSON error body in the message
            if (m.startsWith("{") && m.contains("\"message\"")) {
                m = m.replaceAll("(?s)^\\{\\s*\"message\"\\s*:\\s*\"(.*)\"\\s*}$", "$1");
            }
        } catch (RuntimeException ignored) {
            // keep the message as it is
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // nothing to release any more
            }
            client = null;
        }
    }
}
