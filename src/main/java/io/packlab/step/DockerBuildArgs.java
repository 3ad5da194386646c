package io.packlab.step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code docker build} options that packlab performs through the Engine API. */
@Command(name = "build", description = "Build an image from a Dockerfile, through the Docker Engine API.")
public final class DockerBuildArgs {

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name (and tag) of the image.")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "The Dockerfile (default: CONTEXT/Dockerfile).")
    String file;

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "A build-time variable.")
    Map<String, String> buildArgs = new LinkedHashMap<>();

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label to set on the image.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--no-cache", description = "Do not use the build cache.")
    boolean noCache;

    @Option(names = "--pull", description = "Always try to pull newer versions of the base images.")
    boolean pull;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image ID.")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "The build context (a folder).")
    String context;

    public List<String> tags() {
        return tags;
    }

    public String file() {
        return file;
    }

    public Map<String, String> buildArgs() {
        return buildArgs;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public boolean noCache() {
        return noCache;
    }

    public boolean pull() {
        return pull;
    }

    public boolean quiet() {
        return quiet;
    }

    public String context() {
        return context;
    }
}
