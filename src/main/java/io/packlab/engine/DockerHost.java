package io.packlab.engine;

import io.packlab.error.PacklabException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The DOCKER_HOST and DOCKER_API_VERSION environment variables, checked before any connection: a
 * value packlab cannot use is bad input (exit code 2), said in one paragraph with the forms it takes.
 */
final class DockerHost {

    private static final String FORMS = "packlab takes DOCKER_HOST as unix:///path/to/docker.sock or"
            + " tcp://host:port (the port is 2375 when left out, 2376 with TLS), as the docker CLI does; without"
            + " DOCKER_HOST it uses unix:///var/run/docker.sock.";

    private static final String SSH = "packlab talks to the Engine API itself, not through the docker CLI, so it"
            + " cannot use an ssh:// engine. Forward the remote engine's socket instead, for example `ssh -nNT -L"
            + " /tmp/docker.sock:/var/run/docker.sock user@host &`, and set DOCKER_HOST=unix:///tmp/docker.sock.";

    private DockerHost() {
    }

    /**
     * The engine address DOCKER_HOST names, as docker-java takes it: {@code unix:///path} or
     * {@code tcp://host:port} (a missing port is the docker CLI's default for the TLS setting).
     */
    static String parse(String value, boolean tls) {
        String v = value.strip();
        if (v.startsWith("ssh://")) {
            throw bad(value, "it names an engine over ssh. " + SSH);
        }
        if (v.startsWith("/")) {
            throw bad(value, "it is a path without a scheme; for a socket write unix://" + v + ".");
        }
        if (!v.contains("://")) {
            throw bad(value, "it has no scheme; for an engine that listens on TCP write tcp://" + v + ".");
        }
        if (v.regionMatches(true, 0, "unix:", 0, 5)) {
            String path = v.substring(5);
            if (!path.startsWith("///") || path.length() == 3) {
                throw bad(value, "unix:// needs the socket's absolute path after it, three slashes in all, as in"
                        + " unix:///var/run/docker.sock.");
            }
            path = path.substring(2);
            try {
                URI uri = new URI("unix://" + path);
                if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw bad(value, "a unix:// address is a path alone, without `?` or `#`.");
                }
            } catch (URISyntaxException e) {
                throw bad(value, "the socket's path holds characters that an address cannot (" + e.getReason()
                        + "); use a path without them, a symbolic link for example.");
            }
            return "unix://" + path;
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            if (v.regionMatches(true, 0, "tcp:", 0, 4)) {
                throw bad(value, "tcp:// needs a host and a port after it, as in tcp://127.0.0.1:2375 ("
                        + e.getReason() + " at character " + (e.getIndex() + 1) + ").");
            }
            throw bad(value, "it is not an address (" + e.getReason() + " at character " + (e.getIndex() + 1) + ").");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        switch (scheme) {
            case "tcp" -> {
                String host = uri.getHost();
                if (host == null || host.isEmpty()) {
                    throw bad(value, "tcp:// needs a host (and a port), as in tcp://127.0.0.1:2375.");
                }
                String path = uri.getRawPath();
                if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
                        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                    throw bad(value, "a tcp:// address is a host and a port alone, as in tcp://127.0.0.1:2375.");
                }
                int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 2376 : 2375;
                if (port == 0 || port > 65535) {
                    throw bad(value, "port " + port + " is not a TCP port (1 to 65535).");
                }
                return "tcp://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
            }
            case "npipe" -> throw bad(value, "npipe:// is a Windows named pipe, and packlab runs on Linux.");
            default -> throw bad(value, "packlab does not speak " + scheme + "://.");
        }
    }

    /** DOCKER_API_VERSION: the Engine API version to ask for, {@code 1.40} or newer, as {@code MAJOR.MINOR}. */
    static String apiVersion(String value, String minimum) {
        String v = value.strip();
        if (!v.matches("\\d{1,3}\\.\\d{1,3}")) {
            throw PacklabException.usage("DOCKER_API_VERSION=" + shown(value) + " is not an API version such as 1.41;"
                    + " unset it to let packlab use what the engine speaks. (It comes from the environment variable"
                    + " DOCKER_API_VERSION.)");
        }
        if (DockerEngine.compareApi(v, minimum) < 0) {
            throw PacklabException.usage("DOCKER_API_VERSION=" + v + " asks the engine for Engine API " + v + ", and"
                    + " packlab needs " + minimum + " or newer. Unset DOCKER_API_VERSION to let packlab use what the"
                    + " engine speaks, or set it to " + minimum + " or newer. (It comes from the environment variable"
                    + " DOCKER_API_VERSION.)");
        }
        return v;
    }

    private static PacklabException bad(String value, String what) {
        return PacklabException.usage("DOCKER_HOST=" + shown(value) + " is not an engine address packlab can use: "
                + what + " " + FORMS + " Fix or unset the environment variable DOCKER_HOST, then try again.");
    }

    /** The value as given, shortened, with control characters shown as `?`. */
    static String shown(String value) {
        String v = value.replaceAll("\\p{Cntrl}", "?");
        return v.length() <= 80 ? v : v.substring(0, 77) + "...";
    }
}
