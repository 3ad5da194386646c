package io.packlab.check;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code registry NAME:TAG exists}: the manifest is in the registry packlab was given with
 * {@code --registry} (Docker Registry HTTP API v2, plain HTTP as for a local registry).
 */
final class RegistryVerb implements CheckVerb {

    private static final String ACCEPT = String.join(", ",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");

    @Override
    public String name() {
        return "registry";
    }

    @Override
    public List<String> synopsis() {
        return List.of("registry NAME:TAG exists");
    }

    @Override
    public Check parse(Tokens t) {
        String ref = t.next("an image name in the registry (NAME:TAG)");
        t.expect("exists");
        t.end();
        int colon = ref.lastIndexOf(':');
        String name = colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
        String tag = colon > ref.lastIndexOf('/') ? ref.substring(colon + 1) : "latest";
        return new LineCheck(t) {
            @Override
            public CheckResult evaluate(CheckContext context) {
                if (context.registry().isEmpty()) {
                    return CheckResult.fail(this, "the manifest of " + ref + " in a registry",
                            "no registry given: start packlab with --registry HOST:PORT");
                }
                String registry = context.registry().get();
                String expected = "the manifest of " + name + ":" + tag + " in " + registry;
                URI uri = URI.create("http://" + registry + "/v2/" + name + "/manifests/" + tag);
                try {
                    HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                            .send(HttpRequest.newBuilder(uri).header("Accept", ACCEPT).timeout(Duration.ofSeconds(5))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                    String digest = r.headers().firstValue("Docker-Content-Digest").orElse("");
                    return CheckResult.of(this, r.statusCode() == 200, expected, r.statusCode() == 200
                            ? "manifest " + digest : "HTTP " + r.statusCode() + " for " + uri);
                } catch (IOException e) {
                    return CheckResult.fail(this, expected, "no registry answers at " + registry + " ("
                            + e.getClass().getSimpleName() + ")");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CheckResult.fail(this, expected, "interrupted");
                }
            }
        };
    }
}
