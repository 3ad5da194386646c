package io.packlab.engine;

import java.util.List;

/**
 * What the daemon says about itself; {@code kind} is the product (Docker or Podman), {@code rootless}
 * whether it runs as an ordinary user (null when the engine does not say), {@code components} the
 * parts it names besides itself (Podman: conmon and the OCI runtime, with their versions).
 */
public record EngineInfo(String endpoint, String serverVersion, String apiVersion, String storageDriver,
        String operatingSystem, String architecture, String dockerRootDir, String systemTime, EngineKind kind,
        Boolean rootless, List<String> components) {

    public EngineInfo {
        kind = kind == null ? EngineKind.DOCKER : kind;
        components = components == null ? List.of() : List.copyOf(components);
    }

    /** A Docker engine whose rootlessness and components are not known. */
    public EngineInfo(String endpoint, String serverVersion, String apiVersion, String storageDriver,
            String operatingSystem, String architecture, String dockerRootDir, String systemTime) {
        this(endpoint, serverVersion, apiVersion, storageDriver, operatingSystem, architecture, dockerRootDir,
                systemTime, EngineKind.DOCKER, null, List.of());
    }

    public boolean isPodman() {
        return kind == EngineKind.PODMAN;
    }
}
