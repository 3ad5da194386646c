package io.packlab.classroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether a classroom's join URL answers as the protocol says ({@code GET /join/CODE}: 200 with
 * {@code {"protocol":1}}, 403 for a wrong code), within {@link ClassroomPusher#TIMEOUT} to connect and
 * to answer. For {@code doctor}.
 */
public final class JoinCheck {

    /** What the check found. */
    public enum Outcome { OK, WRONG_CODE, NOT_A_CLASSROOM, NOT_REACHABLE }

    /** The outcome, and what was seen (an HTTP status, or the network's reason). */
    public record Result(Outcome outcome, String seen) {
    }

    private JoinCheck() {
    }

    public static Result check(Classroom classroom) {
        return check(classroom, ClassroomPusher.TIMEOUT);
    }

    static Result check(Classroom classroom, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(classroom.join()).timeout(timeout).GET().build();
        HttpResponse<String> answer;
        try {
            answer = client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .get(timeout.toMillis() * 2 + 500, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Result(Outcome.NOT_REACHABLE, reason(cause));
        } catch (java.util.concurrent.TimeoutException e) {
            return new Result(Outcome.NOT_REACHABLE, "no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.NOT_REACHABLE, "interrupted");
        }
        if (answer.statusCode() == 403) {
            return new Result(Outcome.WRONG_CODE, "HTTP 403");
        }
        if (answer.statusCode() == 200) {
            try {
                JsonNode doc = new ObjectMapper().readTree(answer.body());
                if (doc != null && doc.path("protocol").asInt(-1) == ClassroomPusher.PROTOCOL) {
                    return new Result(Outcome.OK, "HTTP 200, protocol 1");
                }
                return new Result(Outcome.NOT_A_CLASSROOM, "HTTP 200, protocol " + (doc == null ? "none"
                        : doc.path("protocol").isMissingNode() ? "none" : doc.path("protocol").toString()));
            } catch (IOException e) {
                return new Result(Outcome.NOT_A_CLASSROOM, "HTTP 200, not JSON");
            }
        }
        return new Result(Outcome.NOT_A_CLASSROOM, "HTTP " + answer.statusCode());
    }

    private static String reason(Throwable e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "no connection within the time allowed";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "connected, but no answer within the time allowed";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.nio.channels.UnresolvedAddressException || e instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
