package io.packlab.classroom.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The classroom benchmark (run by bench/classroom.sh): N simulated learners push a change every P
 * seconds for S seconds to a running {@code classroom serve}; one page's event stream is read, and
 * each push's probe (its failing check, unique per push) is timed from the push's start to the first
 * event that shows it. Prints the delays (median, 95th percentile, worst), the pushes answered, and
 * the server's CPU time and peak memory from /proc.
 * Arguments: JOIN_URL PAGE_URL SERVER_PID [SECONDS [LEARNERS [PERIOD_MS]]].
 */
public final class ClassroomBench {

    private ClassroomBench() {
    }

    public static void main(String[] args) throws Exception {
        String join = args[0];
        String page = args[1];
        long pid = Long.parseLong(args[2]);
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        int learners = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        int period = args.length > 5 ? Integer.parseInt(args[5]) : 2000;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, Long> pending = new ConcurrentHashMap<>();
        List<Long> delays = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicInteger events = new AtomicInteger();
        ObjectMapper json = new ObjectMapper();

        Thread reader = new Thread(() -> {
            try {
                HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(page + "events")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        long now = System.nanoTime();
                        events.incrementAndGet();
                        for (JsonNode row : json.readTree(line.substring(6)).get("learners")) {
                            Long sent = pending.remove(row.path("failingCheck").asText(""));
                            if (sent != null) {
                                delays.add(now - sent);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                // the bench ends
            }
        }, "bench-events");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(500);

        long[] cpuBefore = cpu(pid);
        ScheduledExecutorService pushers = Executors.newScheduledThreadPool(8);
        for (int l = 0; l < learners; l++) {
            int learner = l;
            AtomicInteger seq = new AtomicInteger();
            pushers.scheduleAtFixedRate(() -> {
                int n = seq.incrementAndGet();
                String probe = "probe-" + learner + "-" + n;
                String body = Pushes.change(String.format("bench-learner-%08d", learner), "learner " + learner, n,
                        1 + learner % 7, 7, 1 + n % 2, probe, "hint " + learner, null);
                pending.put(probe, System.nanoTime());
                try {
                    int status = client.send(HttpRequest.newBuilder(URI.create(join)).timeout(Duration.ofSeconds(2))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    (status == 204 ? accepted : other).incrementAndGet();
                } catch (Exception e) {
                    other.incrementAndGet();
                }
            }, (long) period * learner / learners, period, TimeUnit.MILLISECONDS);
        }
        Thread.sleep(seconds * 1000L);
        pushers.shutdownNow();
        Thread.sleep(1000);
        long[] cpuAfter = cpu(pid);
        List<Long> sorted = new ArrayList<>(delays);
        Collections.sort(sorted);
        System.out.printf("learners %d, a push every %d ms each, for %d s%n", learners, period, seconds);
        System.out.printf("pushes accepted %d, other answers or failures %d, events received %d, probes never seen %d%n",
                accepted.get(), other.get(), events.get(), pending.size());
        if (!sorted.isEmpty()) {
            System.out.printf("push -> page update: median %.1f ms, 95th percentile %.1f ms, worst %.1f ms (%d probes)%n",
                    ms(sorted.get(sorted.size() / 2)), ms(sorted.get((int) (sorted.size() * 0.95))),
                    ms(sorted.get(sorted.size() - 1)), sorted.size());
        }
        double ticks = 100.0;
        System.out.printf("server CPU during the run: %.2f s user + %.2f s system (%.1f %% of one core)%n",
                (cpuAfter[0] - cpuBefore[0]) / ticks, (cpuAfter[1] - cpuBefore[1]) / ticks,
                100.0 * (cpuAfter[0] + cpuAfter[1] - cpuBefore[0] - cpuBefore[1]) / ticks / (seconds + 1));
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM") || line.startsWith("VmRSS")) {
                System.out.println("server " + line.replaceAll("\\s+", " "));
            }
        }
        System.exit(0);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** utime and stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private static long[] cpu(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }
}
