package io.packlab.check;

import io.packlab.engine.ContainerSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code http IMAGE port PORT status CODE [contains TEXT]}: starts a container of the image with the
 * port published, asks GET / until it answers (30 s at most), compares, removes the container.
 */
final class HttpVerb implements CheckVerb {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "http";
    }

    @Override
    public List<String> synopsis() {
        return List.of("http IMAGE port PORT status CODE", "http IMAGE port PORT status CODE contains TEXT");
    }

    @Override
    public Check parse(Tokens t) {
        String image = t.next("an image");
        t.expect("port");
        int port = number(t, "a port number");
        t.expect("status");
        int status = number(t, "an HTTP status code");
        String text = t.accept("contains") ? t.next("the text the page must contain") : null;
        t.end();
        return new LineCheck(t) {
            @Override
            public CheckResult evaluate(CheckContext context) {
                String expected = "a container of " + image + " answers GET / on port " + port + " with " + status
                        + (text == null ? "" : " and a page containing \"" + text + "\"");
                if (context.image(image).isEmpty()) {
                    return CheckResult.fail(this, expected, "no image " + image + " in the engine");
                }
                var engine = context.engine();
                String c = engine.createContainer(new ContainerSpec(image, null, null, Map.of(),
                        Map.of(context.label(), "check"), null, null, null, Map.of(), Map.of(port, 0)));
                try {
                    engine.startContainer(c);
                    int hostPort = engine.hostPort(c, port).orElse(-1);
                    if (hostPort < 0) {
                        return CheckResult.fail(this, expected, "the container's port " + port + " was not published");
                    }
                    return ask(hostPort, expected, context, c);
                } finally {
                    engine.removeContainer(c);
                }
            }

            private CheckResult ask(int hostPort, String expected, CheckContext context, String c) {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                long end = System.nanoTime() + WAIT.toNanos();
                String last = "no answer";
                // the engine's host: published ports are there, which is not this machine for a remote engine
                String host = context.engine().publishedHost();
                URI page = URI.create("http://" + host + ":" + hostPort + "/");
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(3))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        boolean ok = r.statusCode() == status && (text == null || r.body().contains(text));
                        String found = "status " + r.statusCode() + (text == null ? "" : r.body().contains(text)
                                ? ", the page contains \"" + text + "\"" : ", a page without \"" + text + "\": "
                                + ImageVerb.abbreviate(r.body()));
                        return CheckResult.of(this, ok, expected, found);
                    } catch (IOException e) {
                        last = "no answer on port " + port + " (published at " + host + ":" + hostPort + ", "
                                + e.getClass().getSimpleName() + ")";
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return CheckResult.fail(this, expected, "interrupted");
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return CheckResult.fail(this, expected, "interrupted");
                    }
                }
                String logs = "";
                try {
                    logs = context.engine().logs(c).strip();
                } catch (RuntimeException e) {
                    // the logs are a courtesy for the message
                }
                return CheckResult.fail(this, expected, last + " after " + WAIT.toSeconds() + " s"
                        + (logs.isEmpty() ? "" : "; the container said: " + ImageVerb.abbreviate(logs)));
            }
        };
    }

    private static int number(Tokens t, String what) {
        String word = t.next(what);
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw t.error("`" + word + "` is not " + what);
        }
    }
}
