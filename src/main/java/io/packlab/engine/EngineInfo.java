package io.packlab.engine;

/** What the daemon says about itself. */
public record EngineInfo(String endpoint, String serverVersion, String apiVersion, String storageDriver,
        String operatingSystem, String architecture, String dockerRootDir, String systemTime) {
}
