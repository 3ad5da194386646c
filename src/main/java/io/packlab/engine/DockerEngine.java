package io.packlab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.async.ResultCallbackTemplate;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.packlab.error.PacklabException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker Engine API through docker-java (zerodep transport), at DOCKER_HOST or the default
 * socket. The connection is made on first use, so commands that need no engine never pay for it;
 * the first call asks for /version and refuses an engine that is too old, and every call has a
 * bounded wait ({@link EngineWaits}).
 */
public final class DockerEngine implements Engine {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BUILDER_CONTAINER = Pattern.compile("^\\s*---> Running in ([0-9a-f]{12,64})\\s*$");

    private final DockerClientConfig config;
    private DockerClient client;
    private DockerHttpClient http;
    private EngineInfo info;
    /** Containers this engine object made and has not removed: leftovers if the engine stops answering. */
    private final Set<String> madeContainers = ConcurrentHashMap.newKeySet();
    /** The classic builder's container for the running Dockerfile instruction, if any. */
    private volatile String builderContainer;
    /** Whether the engine has answered in this process: then a transport failure means it stopped. */
    private volatile boolean answered;

    /** The JDK-only path for read-only calls on a Unix socket (null for TCP hosts). */
    private final UnixSocketHttp light;
    /** TLS for a tcp:// engine, as the docker CLI reads it from the environment. */
    private final EngineTls tls;
    /** The TLS context for a tcp:// engine with TLS on (null otherwise), made from the files when this is made. */
    private final javax.net.ssl.SSLContext tlsContext;
    /** How long each kind of call may take (see {@link EngineWaits}). */
    private final EngineWaits waits;
    /** Guards the docker-java client; calls run on worker threads, so it is not {@code this}. */
    private final Object clientLock = new Object();
    private final Object gateLock = new Object();
    /** The engine's /version, once its API version has passed {@link #requireApi}. */
    private volatile JsonNode version;
    /** How the last look at /version failed, and when: shared with the calls that waited for it. */
    private RuntimeException gateFailure;
    private long gateFailedAt;
    /**
     * Why and when a call last got no answer in time: for the probe time after it, calls fail at once
     * instead of each waiting again (the checks of a lesson would otherwise wait one after another).
     */
    private volatile String silence;
    private volatile long silentAt;

    private DockerEngine(DockerClientConfig config, EngineWaits.Limits limits, EngineTls tls) {
        this.config = config;
        URI host = config.getDockerHost();
        this.light = "unix".equals(host.getScheme()) ? new UnixSocketHttp(Path.of(host.getPath())) : null;
        this.tls = tls;
        this.tlsContext = "tcp".equals(host.getScheme()) && tls.enabled() ? tls.context() : null;
        this.waits = new EngineWaits(limits, this::alive);
    }

    /** An engine at DOCKER_HOST (and the other DOCKER_* variables) or the platform default socket. */
    public static DockerEngine fromEnvironment(Map<String, String> env) {
        // checked before docker-java sees them: its default config reads the process's DOCKER_HOST itself
        // and fails on a malformed one with an IllegalArgumentException
        String host = env.get("DOCKER_HOST");
        String checkedHost = null;
        EngineTls tls = EngineTls.fromEnvironment(env);
        if (host != null && !host.isBlank()) {
            checkedHost = DockerHost.parse(host, tls.enabled());
        }
        String api = env.get("DOCKER_API_VERSION");
        String checkedApi = api != null && !api.isBlank() ? DockerHost.apiVersion(api, MIN_API) : null;
        DockerClientConfig config;
        try {
            DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
            if (checkedHost != null) {
                builder.withDockerHost(checkedHost);
            }
            if (checkedApi != null) {
                builder.withApiVersion(checkedApi);
            }
            // TLS is packlab's (EngineTls, from the env given here), not docker-java's reading of the process's
            builder.withDockerTlsVerify(false);
            config = builder.build();
        } catch (RuntimeException e) {
            // docker-java also reads ~/.docker-java.properties, system properties and the docker context
            throw PacklabException.usage("The Docker engine address that packlab found is not one it can use ("
                    + firstLine(e.getMessage()) + "). Set DOCKER_HOST to unix:///path/to/docker.sock or"
                    + " tcp://host:port, or unset DOCKER_CONTEXT, then try again.");
        }
        return new DockerEngine(config, EngineWaits.Limits.from(env), tls);
    }

    /** The oldest Engine API packlab works with (Docker 19.03); it is tested with 1.41 (Docker 20.10). */
    public static final String MIN_API = "1.40";

    /**
     * Refuses an engine older than {@link #MIN_API}: one paragraph naming both versions and what to do.
     * Versions compare as numbers (1.9 is older than 1.10).
     */
    static void requireApi(String endpoint, String engineVersion, String apiVersion) {
        if (apiVersion == null || !apiVersion.matches("\\d+\\.\\d+")) {
            return; // nothing to compare: let the calls themselves tell
        }
        if (compareApi(apiVersion, MIN_API) < 0) {
            throw new PacklabException(PacklabException.NO_ENGINE, "The Docker engine at " + endpoint + " is too old"
                    + " for packlab: Docker " + engineVersion + " speaks Engine API " + apiVersion + ", and packlab needs "
                    + MIN_API + " or newer (Docker 19.03 or newer; packlab is tested with Docker 20.10). Upgrade Docker"
                    + " (for example `sudo apt-get install docker.io`), or point DOCKER_HOST at a newer engine.");
        }
    }

    static int compareApi(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    private static final Pattern TOO_NEW = Pattern.compile(
            "client version (\\S+) is too new\\. Maximum supported API version is (\\S+)");

    public String endpoint() {
        return config.getDockerHost().toString();
    }

    /**
     * Docker or Podman: as the engine named itself in /version once it answered, else as its socket's
     * path suggests (so that "cannot reach" already says how to start Podman's service).
     */
    public EngineKind kind() {
        JsonNode v = version;
        return v != null ? EngineKind.fromVersion(v) : EngineKind.guess(config.getDockerHost());
    }

    /** Podman's compat /info says {@code "Rootless"}; Docker says it in its security options. */
    private static Boolean rootless(JsonNode daemon) {
        if (daemon.path("Rootless").isBoolean()) {
            return daemon.path("Rootless").asBoolean();
        }
        for (JsonNode option : daemon.path("SecurityOptions")) {
            if (option.asText("").contains("name=rootless")) {
                return true;
            }
        }
        return daemon.path("SecurityOptions").isArray() ? Boolean.FALSE : null;
    }

    /**
     * A repository tag as Docker lists it. Podman lists an image loaded or tagged as {@code webapp} as
     * {@code localhost/webapp:latest} and one built as {@code distroless-python:run} as
     * {@code docker.io/library/distroless-python:run}; it finds each by the short name too, so the rest of
     * packlab (reset's tag comparisons, the launcher clean-up, the kit) sees the names Docker would show.
     */
    private String repoTag(String tag) {
        return kind() == EngineKind.PODMAN ? EngineKind.dockerName(tag) : tag;
    }

    private ImageInfo named(ImageInfo i) {
        if (kind() != EngineKind.PODMAN) {
            return i;
        }
        return new ImageInfo(i.id(), i.repoTags().stream().map(this::repoTag).toList(), i.labels(), i.env(), i.user(),
                i.workingDir(), i.entrypoint(), i.cmd(), i.layers(), i.size());
    }

    private DockerClient client() {
        synchronized (clientLock) {
            if (client == null) {
                http = new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        // TLS is EngineTls' context on tcp://. Given no SSL config, docker-java's transport makes
                        // the system's default SSL context (the JDK's trust store read and parsed, 0.1 to 0.3 s), so
                        // a Unix socket gets one that is never used instead
                        .sslConfig(tlsContext != null ? () -> tlsContext
                                : "unix".equals(config.getDockerHost().getScheme()) ? DockerEngine::unusedTls : null)
                        .connectionTimeout(waits.limits().connect())
                        // a per-read socket timeout (TCP only: docker-java's Unix socket ignores it) that frees a
                        // worker given up by EngineWaits at last; the waits themselves are EngineWaits'
                        .responseTimeout(waits.limits().stream())
                        .build();
                client = DockerClientImpl.getInstance(config, http);
            }
            return client;
        }
    }

    /**
     * The SSL context of a Unix socket transport, which never speaks TLS: docker-java's transport only keeps it for
     * https routes, so it is never called; made without the JDK's TLS provider.
     */
    private static javax.net.ssl.SSLContext unusedTls() {
        return new javax.net.ssl.SSLContext(null, null, "none (a Unix socket)") {
        };
    }

    /** The transport under the client, for the few calls that docker-java gets wrong (see loadImage). */
    private DockerHttpClient http() {
        synchronized (clientLock) {
            client();
            return http;
        }
    }

    /**
     * The engine's /version, asked once, before any other call: the gate every call goes through, so
     * that no command can work on an engine older than {@link #MIN_API} (or one that answers nothing,
     * or garbage) without saying so.
     */
    private JsonNode version() {
        JsonNode v = version;
        if (v != null) {
            return v;
        }
        long asked = System.nanoTime();
        failFastWhileSilent("ask the engine for its version");
        synchronized (gateLock) {
            if (version == null) {
                if (gateFailure != null && gateFailedAt - asked >= 0) {
                    // the calls that waited here while the engine was asked share its answer: with checks
                    // side by side, a silent engine would otherwise cost one wait per check
                    throw gateFailure;
                }
                String what = "ask the engine for its version";
                JsonNode got;
                try {
                    got = getJson(what, "/version", waits.limits().read());
                } catch (DockerException e) {
                    RuntimeException t = translate(what, e);
                    throw gateFailed(t instanceof EngineException ? new EngineFaultException(endpoint(), what,
                            "it answered GET /version with HTTP " + e.getHttpStatus() + " and "
                            + EngineFaultException.shortened(firstLine(e.getMessage())) + ", which no Docker engine"
                            + " does") : t);
                } catch (RuntimeException e) {
                    throw gateFailed(translate(what, e));
                }
                answered = true;
                if (!got.path("ApiVersion").isTextual()) {
                    throw gateFailed(new EngineFaultException(endpoint(), what, "its answer to GET /version has no"
                            + " ApiVersion: " + EngineFaultException.shortened(got.toString())));
                }
                try {
                    requireApi(endpoint(), got.path("Version").asText(""), got.path("ApiVersion").asText(null));
                } catch (PacklabException e) {
                    throw gateFailed(e);
                }
                version = got;
            }
            return version;
        }
    }

    private void failFastWhileSilent(String what) {
        String reason = silence;
        if (reason != null && System.nanoTime() - silentAt < waits.limits().probe().toNanos()) {
            long ago = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - silentAt);
            long at = silentAt;
            RuntimeException e = translate(what, new UncheckedIOException(new EngineWaits.NoAnswerException(
                    reason + " (to an earlier call, " + (ago == 0 ? "a moment ago" : ago + " s ago")
                            + "; packlab did not wait again)")));
            silence = reason; // the window runs from the call that waited, not from this one
            silentAt = at;
            throw e;
        }
    }

    private RuntimeException gateFailed(RuntimeException e) {
        gateFailure = e;
        gateFailedAt = System.nanoTime();
        return e;
    }

    /** Whether the engine answers a ping within the read limit (for {@link EngineWaits} while a stream is silent). */
    private boolean alive() {
        try {
            if (light != null) {
                return light.get("/_ping", waits.limits().read()).status() == 200;
            }
            waits.within(waits.limits().read(), () -> client().pingCmd().exec());
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Duration reads() {
        return waits.limits().read();
    }

    @Override
    public synchronized EngineInfo info() {
        if (info == null) {
            JsonNode version = version();
            String what = "ask the engine about itself";
            JsonNode daemon = json(what, () -> getJson(what, "/info", reads()));
            info = new EngineInfo(endpoint(), version.path("Version").asText(""), version.path("ApiVersion").asText(""),
                    daemon.path("Driver").asText(""), daemon.path("OperatingSystem").asText(""),
                    daemon.path("Architecture").asText(""), daemon.path("DockerRootDir").asText(""),
                    daemon.path("SystemTime").asText(""), kind(), rootless(daemon),
                    EngineKind.components(version));
        }
        return info;
    }

    @Override
    public Optional<ImageInfo> inspectImage(String reference) {
        try {
            String what = "inspect image " + reference;
            JsonNode r = json(what, () -> getJson(what, "/images/" + pathSegment(reference) + "/json", reads()));
            return Optional.of(named(toImageInfo(r)));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static ImageInfo toImageInfo(JsonNode r) {
        JsonNode c = r.path("Config");
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new ImageInfo(r.path("Id").asText(), strings(r.path("RepoTags")), labels, strings(c.path("Env")),
                c.path("User").asText(""), c.path("WorkingDir").asText(""), strings(c.path("Entrypoint")),
                strings(c.path("Cmd")), strings(r.path("RootFS").path("Layers")), r.path("Size").asLong(0));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Override
    public List<ImageSummary> listImages(List<String> labelFilters) {
        // no filter at all when none is asked for: Podman refuses an empty one ({"label":[]}, HTTP 500)
        return call("list images", reads(), () -> (labelFilters.isEmpty() ? client().listImagesCmd()
                : client().listImagesCmd().withLabelFilter(labelFilters.toArray(String[]::new))).exec()).stream()
                .map(i -> new ImageSummary(i.getId(), i.getRepoTags() == null ? List.of()
                        : Arrays.stream(i.getRepoTags()).filter(t -> !t.equals("<none>:<none>")).map(this::repoTag).toList(),
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

    /**
     * {@code GET /containers/json?all=1} with the label filters, through {@link #getJson} (on a Unix
     * socket with the JDK alone): the orphan look of every command that reaches the engine costs one
     * small request, not the set-up of docker-java's client.
     */
    @Override
    public List<ContainerSummary> listContainers(List<String> labelFilters) {
        String what = "list containers";
        String query = "/containers/json?all=1";
        if (!labelFilters.isEmpty()) {
            query += "&filters=" + java.net.URLEncoder.encode(JSON.createObjectNode().set("label",
                    JSON.valueToTree(labelFilters)).toString(), StandardCharsets.UTF_8);
        }
        String path = query;
        JsonNode list = json(what, () -> getJson(what, path, reads()));
        List<ContainerSummary> out = new ArrayList<>();
        for (JsonNode c : list) {
            Map<String, String> labels = new LinkedHashMap<>();
            c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            JsonNode names = c.path("Names");
            out.add(new ContainerSummary(c.path("Id").asText(),
                    names.size() == 0 ? "" : names.get(0).asText().replaceFirst("^/", ""),
                    c.path("Image").asText(""), c.path("State").asText(""), labels));
        }
        return out;
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
        madeContainers.remove(id);
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
        EngineWaits.Progress progress = new EngineWaits.Progress();
        BuildImageResultCallback callback = new BuildImageResultCallback() {
            @Override
            public void onNext(BuildResponseItem item) {
                progress.touch();
                if (item.getStream() != null) {
                    pending.append(item.getStream());
                    int nl;
                    while ((nl = pending.indexOf("\n")) >= 0) {
                        String line = pending.substring(0, nl);
                        Matcher running = BUILDER_CONTAINER.matcher(line);
                        if (running.find()) {
                            builderContainer = running.group(1);
                        } else if (line.contains("Removing intermediate container")) {
                            builderContainer = null;
                        }
                        listener.onOutput(line);
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
            awaitStream("run docker build of " + tags(request), callback, progress, stop);
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
            if (reason.contains("returned a non-zero code: 137") && !answersWithin(Duration.ofSeconds(2))) {
                // the instruction was killed because the engine is shutting down, not because it failed
                throw EngineUnavailableException.stopped(endpoint(), "run docker build of " + tags(request),
                        "it was shut down", leftovers());
            }
            java.util.Optional<String> rlimit = RlimitFault.resource(reason);
            if (rlimit.isPresent()) { // a RUN instruction's container could not start: the engine's fault
                throw RlimitFault.of(kind(), endpoint(), "run docker build of " + tags(request), rlimit.get(),
                        light != null);
            }
            throw new EngineException("docker build of " + tags(request) + " failed: " + reason.strip());
        } catch (EngineUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                throw new InterruptedException("build cancelled");
            }
            throw translate("run docker build of " + tags(request), e);
        } finally {
            builderContainer = null;
            cancellation.forget(stop);
            closeQuietly(callback);
        }
    }

    private static String tags(BuildRequest request) {
        return request.tags().isEmpty() ? "an untagged image" : String.join(", ", request.tags());
    }

    /** The containers that would be left behind if the engine stopped now. */
    private List<String> leftovers() {
        List<String> left = new ArrayList<>(madeContainers);
        String building = builderContainer;
        if (building != null) {
            left.add(building);
        }
        return left;
    }

    /**
     * Whether the engine keeps answering pings for the given time: a daemon that is shutting down
     * still answers the first ping or two, then goes away.
     */
    private boolean answersWithin(Duration time) {
        long end = System.nanoTime() + time.toNanos();
        do {
            if (!alive()) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        } while (System.nanoTime() < end);
        return true;
    }

    // ---- images: details, load, tag -------------------------------------------------------------

    @Override
    public Optional<ImageDetails> imageDetails(String reference) {
        try {
            String what = "inspect image " + reference;
            JsonNode inspect = json(what, () -> getJson(what, "/images/" + pathSegment(reference) + "/json", reads()));
            String id = inspect.path("Id").asText();
            // by ID, so that a tag moved in between cannot mix two images
            String history = "read the history of image " + reference;
            JsonNode layers = json(history, () -> getJson(history, "/images/" + pathSegment(id) + "/history", reads()));
            return Optional.of(new ImageDetails(id, ImageConfigReader.toConfig(inspect, layers)));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * POST /images/load on the raw transport. docker-java's {@code LoadImageCmd} streams the body (an
     * {@code InputStreamEntity}, chunked) but closes the response unread: the daemon answers 200 and
     * reports a refused tarball in the JSON body, so its errors would be lost, and the call may return
     * before the daemon finished. Here the body is streamed the same way and the answer read to its end.
     */
    @Override
    public List<String> loadImage(InputStream tar) {
        EngineWaits.Progress progress = new EngineWaits.Progress();
        SourceStream source = new SourceStream(tar, progress);
        try {
            return streamOrFail("load an image", progress, () -> closeQuietly(source), () -> {
                try (DockerHttpClient.Response response = send(DockerHttpClient.Request.Method.POST,
                        "/images/load?quiet=1", source, "application/x-tar")) {
                    return loadedImages(new SourceStream(response.getBody(), progress)).stream().map(this::repoTag).toList();
                }
            });
        } catch (RuntimeException e) {
            if (source.failure() != null) {
                throw new EngineException("Could not send an image to the Docker engine: reading the image tar failed: "
                        + source.failure().getMessage(), source.failure());
            }
            throw e;
        }
    }

    private static List<String> loadedImages(InputStream body) {
        List<String> loaded = new ArrayList<>();
        try (MappingIterator<JsonNode> messages = JSON.readerFor(JsonNode.class).readValues(body)) {
            while (messages.hasNextValue()) {
                JsonNode message = messages.nextValue();
                if (message.hasNonNull("errorDetail") || message.hasNonNull("error")) {
                    // the engine refuses what it was sent (a broken tar, a full disk): the learner's business
                    String error = message.path("errorDetail").path("message").asText(message.path("error").asText());
                    throw new EngineException("The Docker engine refused to load an image: " + firstLine(error));
                }
                message.path("stream").asText("").lines().map(String::strip).filter(l -> !l.isEmpty())
                        .map(l -> l.replaceFirst("^Loaded image( ID)?: ", "")).forEach(loaded::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return loaded;
    }

    @Override
    public InputStream saveImage(String reference) {
        try {
            return streamed("save image " + reference, "/images/" + pathSegment(reference) + "/get");
        } catch (NotFoundException e) {
            throw new EngineException("there is no image " + reference + " to save.");
        }
    }

    @Override
    public InputStream saveImages(List<String> references) {
        String what = "save images " + String.join(", ", references);
        try {
            StringBuilder query = new StringBuilder();
            for (String reference : references) {
                String[] nameAndTag = nameAndTag(reference);
                query.append(query.length() == 0 ? "?" : "&").append("names=")
                        .append(java.net.URLEncoder.encode(nameAndTag[0] + ":" + nameAndTag[1], StandardCharsets.UTF_8));
            }
            return streamed(what, "/images/get" + query);
        } catch (NotFoundException e) {
            throw new EngineException("there is no image to save among " + String.join(", ", references) + ".");
        }
    }

    /** {@code [repository, tag]} of a reference; the tag is "latest" when none is given. */
    private static String[] nameAndTag(String reference) {
        int slash = reference.lastIndexOf('/');
        int colon = reference.lastIndexOf(':');
        return colon > slash ? new String[] {reference.substring(0, colon), reference.substring(colon + 1)}
                : new String[] {reference, "latest"};
    }

    @Override
    public void pushImage(String reference, BuildListener listener) {
        String[] nameAndTag = nameAndTag(reference);
        String name = nameAndTag[0];
        String tag = nameAndTag[1];
        AtomicReference<String> error = new AtomicReference<>();
        EngineWaits.Progress progress = new EngineWaits.Progress();
        ResultCallback.Adapter<com.github.dockerjava.api.model.PushResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.PushResponseItem item) {
                progress.touch();
                if (item.getErrorDetail() != null) {
                    error.set(item.getErrorDetail().getMessage());
                } else if (item.getStatus() != null && item.getProgressDetail() == null) {
                    listener.onOutput((item.getId() == null ? "" : item.getId() + ": ") + item.getStatus());
                }
            }
        };
        try {
            call("push " + reference, () -> client().pushImageCmd(name).withTag(tag).exec(callback));
            awaitStream("push " + reference, callback, progress, () -> closeQuietly(callback));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("the push of " + reference + " was interrupted");
        } catch (DockerClientException | DockerException e) {
            throw new EngineException("docker push " + reference + " failed: " + (error.get() != null ? error.get()
                    : firstLine(e.getMessage())));
        } finally {
            closeQuietly(callback);
        }
        if (error.get() != null) {
            throw new EngineException("docker push " + reference + " failed: " + error.get() + ". Is a registry"
                    + " listening there (docker-registry, or `docker run -d -p 5000:5000 registry:2`)?");
        }
    }

    @Override
    public void tagImage(String source, String target) {
        String[] nameAndTag = nameAndTag(target);
        String repository = nameAndTag[0];
        String tag = nameAndTag[1];
        callOrFail("tag image " + source + " as " + target, () -> {
            client().tagImageCmd(source, repository, tag).withForce(true).exec();
            return null;
        });
    }

    // ---- containers -----------------------------------------------------------------------------

    @Override
    public String createContainer(ContainerSpec spec) {
        Map<String, String> labels = new TreeMap<>(spec.labels());
        labels.put(Owner.LABEL, Owner.current().label()); // whose it is, so an orphan is known as one
        CreateContainerCmd cmd = client().createContainerCmd(spec.image())
                .withLabels(labels)
                .withEnv(new TreeMap<>(spec.env()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        if (spec.name() != null) {
            cmd.withName(spec.name());
        }
        if (spec.user() != null) {
            cmd.withUser(spec.user());
        }
        if (spec.entrypoint() != null) {
            cmd.withEntrypoint(spec.entrypoint());
        }
        if (spec.cmd() != null) {
            cmd.withCmd(spec.cmd());
        }
        if (spec.workingDir() != null) {
            cmd.withWorkingDir(spec.workingDir());
        }
        HostConfig host = HostConfig.newHostConfig();
        if (!spec.mounts().isEmpty()) {
            host.withMounts(new TreeMap<>(spec.mounts()).entrySet().stream()
                    .map(m -> new Mount().withType(MountType.VOLUME).withSource(m.getKey()).withTarget(m.getValue()))
                    .toList());
        }
        if (!spec.ports().isEmpty()) {
            Ports bindings = new Ports();
            List<ExposedPort> exposed = new ArrayList<>();
            new TreeMap<>(spec.ports()).forEach((containerPort, hostPort) -> {
                ExposedPort port = ExposedPort.tcp(containerPort);
                exposed.add(port);
                bindings.bind(port, hostPort == null || hostPort == 0 ? Ports.Binding.empty()
                        : Ports.Binding.bindPort(hostPort));
            });
            cmd.withExposedPorts(exposed);
            host.withPortBindings(bindings);
        }
        cmd.withHostConfig(host);
        String id = callOrFail("create a container of " + spec.image(), cmd::exec).getId();
        madeContainers.add(id);
        return id;
    }

    @Override
    public void startContainer(String id) {
        callOrFail("start container " + shortId(id), () -> {
            try {
                client().startContainerCmd(id).exec();
            } catch (NotModifiedException e) {
                // running already
            }
            return null;
        });
    }

    @Override
    public void stopContainer(String id, int seconds) {
        callOrFail("stop container " + shortId(id), () -> {
            try {
                client().stopContainerCmd(id).withTimeout(seconds).exec();
            } catch (NotModifiedException e) {
                // stopped already
            }
            return null;
        });
    }

    @Override
    public int waitContainer(String id) {
        String what = "wait for container " + shortId(id);
        WaitContainerResultCallback callback = callOrFail(what,
                () -> client().waitContainerCmd(id).exec(new WaitContainerResultCallback()));
        try {
            awaitStream(what, callback, new EngineWaits.Progress(), () -> closeQuietly(callback));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(callback);
            throw new EngineException("Waiting for container " + shortId(id) + " was interrupted.");
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
        return callOrFail(what, callback::awaitStatusCode);
    }

    @Override
    public String logs(String id) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EngineWaits.Progress progress = new EngineWaits.Progress();
        ResultCallback.Adapter<Frame> collect = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                progress.touch();
                synchronized (bytes) {
                    bytes.writeBytes(frame.getPayload());
                }
            }
        };
        String what = "read the logs of container " + shortId(id);
        callOrFail(what, () -> client().logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false)
                .exec(collect));
        try {
            awaitStream(what, collect, progress, () -> closeQuietly(collect));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(collect);
            throw new EngineException("Reading the logs of container " + shortId(id) + " was interrupted.");
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Cancellation closes the attached stream; and since the Engine API has no call that signals an
     * exec'd process, the process is then killed from inside the container: a second exec, as root,
     * runs a {@code sh} script that kills every process of its session (Docker starts every exec'd
     * process as the leader of its own session, so its children go with it). Its PID in the container comes
     * from the host PID in exec inspect through {@code /proc/<pid>/status}, so this works when packlab
     * runs on the daemon's host (a unix socket, same PID namespace: checked through the container's
     * init being PID 1 below ours) and the image has a {@code sh}; otherwise the process is left to end
     * by itself. The container itself is never stopped.
     */
    @Override
    public ExecResult exec(String containerId, List<String> command, String user, Map<String, String> env,
            String workingDir, Consumer<String> output, Cancellation cancellation) throws InterruptedException {
        String what = "run `" + String.join(" ", command) + "` in container " + shortId(containerId);
        if (cancellation.isCancelled()) {
            throw new InterruptedException("cancelled before: " + what);
        }
        ExecCreateCmd create = client().execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true);
        if (user != null) {
            create.withUser(user);
        }
        if (env != null && !env.isEmpty()) {
            create.withEnv(new TreeMap<>(env).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
        if (workingDir != null) {
            create.withWorkingDir(workingDir);
        }
        String execId = callOrFail(what, create::exec).getId();
        EngineWaits.Progress progress = new EngineWaits.Progress();
        ExecOutput lines = new ExecOutput(output, progress);
        Runnable stop = () -> {
            closeQuietly(lines);
            killExec(containerId, execId);
        };
        cancellation.onCancel(stop);
        try {
            callOrFail(what, () -> client().execStartCmd(execId).exec(lines));
            awaitStream(what, lines, progress, () -> closeQuietly(lines));
        } catch (InterruptedException e) {
            stop.run();
            throw e;
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                throw new InterruptedException("cancelled: " + what);
            }
            throw translate(what, e);
        } finally {
            cancellation.forget(stop);
        }
        if (cancellation.isCancelled()) {
            throw new InterruptedException("cancelled: " + what);
        }
        lines.flush();
        return new ExecResult(exitCode(execId, what));
    }

    /** The exit code; the stream may end a moment before the daemon records it, so this waits a little. */
    private int exitCode(String execId, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            InspectExecResponse r = callOrFail(what, reads(), () -> client().inspectExecCmd(execId).exec());
            if (!Boolean.TRUE.equals(r.isRunning()) && r.getExitCodeLong() != null) {
                return r.getExitCodeLong().intValue();
            }
            if (System.nanoTime() > deadline) {
                throw new EngineException("The Docker engine did not report how `" + what + "` ended.");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Kills every process of the session {@code $1} (field 6 of {@code /proc/<pid>/stat}): dash's
     * {@code kill} takes no negative PIDs, and slim images have no {@code /bin/kill} or {@code pkill}.
     * Three passes catch what forks while the first runs.
     */
    private static final String KILL_SESSION = "s=$1; for i in 1 2 3; do for f in /proc/[0-9]*/stat; do "
            + "read -r l < \"$f\" || continue; set -- ${l##*) }; "
            + "if [ \"$4\" = \"$s\" ]; then p=${f%/stat}; kill -KILL \"${p#/proc/}\"; fi; done; done 2>/dev/null; true";

    private void killExec(String containerId, String execId) {
        try {
            waits.within(waits.limits().change(), () -> {
                killExecNow(containerId, execId);
                return null;
            });
        } catch (RuntimeException e) {
            // best effort: the stream is closed already, and the caller's container ends the process at last
        }
    }

    private void killExecNow(String containerId, String execId) {
        try {
            if (!"unix".equals(config.getDockerHost().getScheme())) {
                return;
            }
            InspectExecResponse exec = client().inspectExecCmd(execId).exec();
            Long hostPid = exec.getPidLong();
            if (!Boolean.TRUE.equals(exec.isRunning()) || hostPid == null || hostPid <= 0) {
                return;
            }
            InspectContainerResponse container = client().inspectContainerCmd(containerId).exec();
            Long initPid = container.getState() == null ? null : container.getState().getPidLong();
            OptionalLong pid = ExecProcesses.innerPid(hostPid);
            if (initPid == null || !ExecProcesses.sameViewAsDaemon(initPid) || pid.isEmpty()) {
                return;
            }
            // attached to stdout and stderr though nothing is read: Podman refuses to start an exec that
            // attaches no stream ("must provide at least one stream to attach to")
            String kill = client().execCreateCmd(containerId).withUser("0").withAttachStdout(true).withAttachStderr(true)
                    .withCmd("sh", "-c", KILL_SESSION, "packlab-cancel", Long.toString(pid.getAsLong()))
                    .exec().getId();
            client().execStartCmd(kill).exec(new ResultCallback.Adapter<>()).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // best effort: the stream is closed already, and the caller's container ends the process at last
        }
    }

    /** PUT /containers/{id}/archive: docker-java streams the body as it is read (chunked), never whole. */
    @Override
    public void copyToContainer(String containerId, InputStream tar, String path) {
        EngineWaits.Progress progress = new EngineWaits.Progress();
        SourceStream source = new SourceStream(tar, progress);
        String what = "copy files into container " + shortId(containerId) + " at " + path;
        try {
            streamOrFail(what, progress, () -> closeQuietly(source), () -> {
                client().copyArchiveToContainerCmd(containerId).withTarInputStream(source).withRemotePath(path).exec();
                return null;
            });
        } catch (RuntimeException e) {
            if (source.failure() != null) {
                throw new EngineException("Could not " + what + ": reading the tar failed: "
                        + source.failure().getMessage(), source.failure());
            }
            throw e;
        }
    }

    @Override
    public Optional<InputStream> copyFromContainer(String containerId, String path) {
        String what = "copy " + path + " out of container " + shortId(containerId);
        try {
            return Optional.of(streamed(what, "/containers/" + pathSegment(containerId) + "/archive?path="
                    + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8)));
        } catch (NotFoundException e) {
            if (String.valueOf(e.getMessage()).contains("No such container")) {
                throw translate(what, e);
            }
            return Optional.empty();
        }
    }

    @Override
    public Optional<Integer> hostPort(String containerId, int containerPort) {
        InspectContainerResponse r = callOrFail("inspect container " + shortId(containerId), reads(),
                () -> client().inspectContainerCmd(containerId).exec());
        if (r.getNetworkSettings() == null || r.getNetworkSettings().getPorts() == null) {
            return Optional.empty();
        }
        Ports.Binding[] bindings = r.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null) {
            return Optional.empty();
        }
        return Arrays.stream(bindings)
                .sorted((a, b) -> Boolean.compare(!"0.0.0.0".equals(a.getHostIp()), !"0.0.0.0".equals(b.getHostIp())))
                .map(Ports.Binding::getHostPortSpec)
                .filter(p -> p != null && p.matches("\\d+"))
                .map(Integer::valueOf)
                .findFirst();
    }

    /**
     * Where published ports are: the host DOCKER_HOST names for a tcp:// engine (it may be another
     * machine, or this one by a name), this machine's loopback for a unix:// socket.
     */
    @Override
    public String publishedHost() {
        URI host = config.getDockerHost();
        return "tcp".equals(host.getScheme()) && host.getHost() != null ? host.getHost() : Engine.super.publishedHost();
    }

    /** For a tcp:// engine: its address and how packlab speaks to it (TLS on, verified, the client certificate). */
    @Override
    public Optional<String> connection() {
        URI host = config.getDockerHost();
        return "tcp".equals(host.getScheme()) ? Optional.of("remote engine at " + endpoint() + ": " + tls.describe())
                : Optional.empty();
    }

    // ---- volumes --------------------------------------------------------------------------------

    @Override
    public void createVolume(String name, Map<String, String> labels) {
        callOrFail("create volume " + name,
                () -> client().createVolumeCmd().withName(name).withLabels(new TreeMap<>(labels)).exec());
    }

    @Override
    public List<String> listVolumes(List<String> labelFilters) {
        var volumes = callOrFail("list volumes", reads(),
                () -> (labelFilters.isEmpty() ? client().listVolumesCmd()
                        : client().listVolumesCmd().withFilter("label", labelFilters)).exec()).getVolumes();
        return volumes == null ? List.of()
                : volumes.stream().map(v -> v.getName()).sorted().toList();
    }

    @Override
    public void removeVolume(String name) {
        try {
            call("remove volume " + name, () -> {
                client().removeVolumeCmd(name).exec();
                return null;
            });
        } catch (NotFoundException e) {
            // already gone: nothing to do
        }
    }

    // ---- the raw transport ----------------------------------------------------------------------

    /**
     * GET {@code path} as JSON, within {@code limit}: on a Unix socket with the JDK alone, else on the
     * transport. A refusal (4xx) is docker-java's exception, as for the client's calls; a fault (5xx) or
     * an answer that is not the JSON the Engine API sends is an {@link EngineFaultException} naming the
     * call, the request and what came back.
     */
    private JsonNode getJson(String what, String path, Duration limit) {
        int status;
        byte[] body;
        if (light != null) {
            UnixSocketHttp.Response response;
            try {
                response = light.get(apiPath(path), limit);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a transport failure: translate() says the engine is away
            }
            status = response.status();
            body = response.body();
        } else {
            byte[][] got = new byte[1][];
            int[] code = new int[1];
            waits.within(limit, () -> {
                try (DockerHttpClient.Response response = http().execute(DockerHttpClient.Request.builder()
                        .method(DockerHttpClient.Request.Method.GET).path(apiPath(path)).build())) {
                    code[0] = response.getStatusCode();
                    got[0] = response.getBody().readNBytes(64 * 1024 * 1024);
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            status = code[0];
            body = got[0];
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String shown = path.contains("?") ? path.substring(0, path.indexOf('?')) : path; // no query in messages
        if (status >= 500) {
            throw new EngineFaultException(kind(), endpoint(), what, "it answered GET " + shown + " with HTTP " + status + " and "
                    + EngineFaultException.shortened(firstLine(text)));
        }
        if (EngineTls.plainToTls(status, text)) {
            throw tls.speaksTls(endpoint());
        }
        if (status < 200 || status >= 300) {
            throw refusal(status, text);
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            node = null;
        }
        boolean list = path.endsWith("/history") || path.startsWith("/containers/json");
        if (node == null || (list ? !node.isArray() : !node.isObject())) {
            throw new EngineFaultException(endpoint(), what, "it answered GET " + shown + " with something that is"
                    + " not the JSON " + (list ? "list" : "object") + " the Engine API sends: "
                    + EngineFaultException.shortened(text));
        }
        if (path.startsWith("/images/") && path.endsWith("/json") && !node.path("Id").isTextual()) {
            throw new EngineFaultException(endpoint(), what, "its answer to GET " + shown + " has no image Id: "
                    + EngineFaultException.shortened(text));
        }
        return node;
    }

    /**
     * One request on the transport, with docker-java's exceptions for refusals (so {@link #call} maps
     * them as it maps the client's): 404 becomes {@link NotFoundException}, other non-2xx a
     * {@link DockerException} carrying the daemon's message.
     */
    private DockerHttpClient.Response send(DockerHttpClient.Request.Method method, String path, InputStream body,
            String contentType) {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(apiPath(path));
        // The transport asks for gzip by default, and the engine then compresses what it streams (a layer of random
        // bytes at about 50 MB/s on one core, ten times slower than the copy itself): streams come uncompressed.
        request.putHeader("Accept-Encoding", "identity");
        if (body != null) {
            request.body(body);
        }
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        DockerHttpClient.Response response = http().execute(request.build());
        int status = response.getStatusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String message;
        try (response) {
            message = new String(response.getBody().readNBytes(16 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            message = "HTTP " + status;
        }
        throw refusal(status, message);
    }

    /** docker-java's exception for a refusal, so that {@link #call} maps it as it maps the client's. */
    private static DockerException refusal(int status, String message) {
        return status == 404 ? new NotFoundException(message) : new DockerException(message, status);
    }

    private String apiPath(String path) {
        RemoteApiVersion version = config.getApiVersion();
        return version == null || RemoteApiVersion.UNKNOWN_VERSION.equals(version) ? path
                : "/" + version.asWebPathPart() + path;
    }

    /** A reference or ID as one URL path segment; references never hold characters that need more. */
    private static String pathSegment(String reference) {
        StringBuilder out = new StringBuilder();
        for (byte b : reference.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~:@/".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String shortId(String id) {
        return id.matches("[0-9a-f]{64}") ? id.substring(0, 12) : id;
    }

    private static void closeQuietly(java.io.Closeable callback) {
        try {
            callback.close();
        } catch (IOException | RuntimeException e) {
            // closing a finished or broken stream: nothing left to release
        }
    }

    /**
     * Runs one engine call that changes something, within the change limit, turning transport failures
     * (and no answer in time) into {@link EngineUnavailableException}, faults into
     * {@link EngineFaultException} and refusals into {@link EngineException}; {@link NotFoundException}
     * passes through for callers.
     */
    private <T> T call(String what, Supplier<T> call) {
        return call(what, waits.limits().change(), call);
    }

    private <T> T call(String what, Duration limit, Supplier<T> call) {
        return attempt(what, () -> waits.within(limit, call), true);
    }

    /** Like {@link #call}, for calls where a missing object is a refusal too ("No such container: ..."). */
    private <T> T callOrFail(String what, Supplier<T> call) {
        return callOrFail(what, waits.limits().change(), call);
    }

    private <T> T callOrFail(String what, Duration limit, Supplier<T> call) {
        return attempt(what, () -> waits.within(limit, call), false);
    }

    /** A GET of {@link #getJson}, which bounds its own wait; {@link NotFoundException} passes through. */
    private JsonNode json(String what, Supplier<JsonNode> get) {
        return attempt(what, get, true);
    }

    /** A call whose request body streams from the caller (load, copy in): bounded by the progress rule. */
    private <T> T streamOrFail(String what, EngineWaits.Progress progress, Runnable abort, Supplier<T> call) {
        return attempt(what, () -> waits.streaming(progress, abort, call), false);
    }

    /**
     * A call that answers with a stream (save, copy out): the answer may take long to start (a save
     * exports the image first), so its wait is the progress rule's; {@link NotFoundException} passes.
     */
    private <T> T stream(String what, Supplier<T> call) {
        return attempt(what, () -> waits.streaming(new EngineWaits.Progress(), () -> { }, call), true);
    }

    /**
     * Waits for a streaming callback (build, exec, push, logs, wait) to end, by the progress rule;
     * then its first error, if any, is thrown as {@code awaitCompletion()} throws it.
     */
    private void awaitStream(String what, ResultCallbackTemplate<?, ?> callback, EngineWaits.Progress progress,
            Runnable abort) throws InterruptedException {
        try {
            waits.awaitEnd(progress, callback::awaitCompletion, abort);
        } catch (EngineWaits.NoAnswerException e) {
            throw translate(what, new UncheckedIOException(e));
        }
        callback.awaitCompletion(); // ended: returns at once, or throws the stream's error
    }

    /**
     * GET {@code path} on the transport as a stream (a save, a copy out), read by the caller: the
     * answer may take long to start (a save exports the image first), so its wait is the progress
     * rule's, and so is each read; a read that waits too long fails as {@code what}.
     * {@link NotFoundException} passes through.
     */
    private InputStream streamed(String what, String path) {
        DockerHttpClient.Response response = stream(what,
                () -> send(DockerHttpClient.Request.Method.GET, path, null, null));
        return waits.watched(response.getBody(), response::close, e -> translate(what, new UncheckedIOException(e)));
    }

    private <T> T attempt(String what, Supplier<T> bounded, boolean notFoundPasses) {
        version();
        failFastWhileSilent(what);
        try {
            T result = bounded.get();
            answered = true;
            return result;
        } catch (NotFoundException e) {
            answered = true;
            if (notFoundPasses) {
                throw e;
            }
            throw translate(what, e);
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    private RuntimeException translate(String what, RuntimeException e) {
        if (e instanceof PacklabException) {
            return e;
        }
        if (e instanceof DockerException) {
            Matcher tooNew = TOO_NEW.matcher(String.valueOf(e.getMessage()));
            if (tooNew.find()) {
                String max = tooNew.group(2).replaceAll("\\W+$", "");
                return new PacklabException(PacklabException.NO_ENGINE, "The Docker engine at " + endpoint() + " is"
                        + " too old for the API packlab asked for: packlab asked for Engine API " + tooNew.group(1)
                        + " (DOCKER_API_VERSION), and the engine speaks up to " + max + ". Unset DOCKER_API_VERSION"
                        + " (packlab then speaks the engine's version, " + MIN_API + " or newer) or set it to " + max
                        + ", or upgrade Docker.");
            }
            int status = ((DockerException) e).getHttpStatus();
            java.util.Optional<String> rlimit = RlimitFault.resource(e.getMessage());
            if (rlimit.isPresent()) {
                answered = true;
                return RlimitFault.of(kind(), endpoint(), what, rlimit.get(), light != null);
            }
            if (status >= 500) {
                answered = true;
                return new EngineFaultException(kind(), endpoint(), what, "it answered with HTTP " + status + " and "
                        + EngineFaultException.shortened(firstLine(e.getMessage())));
            }
            return new EngineException("The " + kind().title() + " engine refused to " + what + ": "
                    + firstLine(e.getMessage()));
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
                // docker-java could not read the answer: the engine sent something that is not the Engine API's
                return new EngineFaultException(endpoint(), what, "it answered with something that is not the JSON"
                        + " the Engine API sends (" + EngineFaultException.shortened(firstLine(json.getOriginalMessage()))
                        + ")");
            }
        }
        PacklabException tlsFailure = answered ? null : tls.failure(endpoint(), config.getDockerHost().getHost(), e);
        if (tlsFailure != null) {
            return tlsFailure; // the handshake failed: certificates, not an engine that is away
        }
        Throwable transport = transportCause(e);
        if (transport instanceof EngineWaits.NoAnswerException silent && silent.quiet() != null) {
            return EngineUnavailableException.quiet(kind(), endpoint(), what, EngineWaits.say(silent.quiet()));
        }
        if (transport instanceof EngineWaits.NoAnswerException silent) {
            silence = silent.getMessage();
            silentAt = System.nanoTime();
            return answered
                    ? EngineUnavailableException.stopped(kind(), endpoint(), what, silent.getMessage(), leftovers())
                    : EngineUnavailableException.silent(kind(), endpoint(), what, silent.getMessage());
        }
        if (transport != null) {
            return answered
                    ? EngineUnavailableException.stopped(kind(), endpoint(), what, describe(transport), leftovers())
                    : EngineUnavailableException.unreachable(kind(), endpoint(), describe(transport));
        }
        return e;
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
        if (root instanceof java.net.UnknownHostException) {
            return "no machine of the name `" + root.getMessage().replaceFirst(":.*", "") + "` is known here, by DNS or"
                    + " /etc/hosts";
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
    public void close() {
        synchronized (clientLock) {
            if (client != null) {
                try {
                    client.close();
                } catch (IOException e) {
                    // nothing to release any more
                }
                client = null;
                http = null;
            }
        }
    }
}
