package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The classroom in a real browser (Debian's chromium, headless, through Debian's chromedriver) against
 * real packlab processes: a {@code classroom serve} and four learners' shells on pipes, each with
 * {@code --classroom URL --name NAME}, running lessons of a folder of this test (checks on files, no
 * engine needed). Skips without chromium on a developer machine; fails in CI ({@code CI=true}).
 *
 * <p>With {@code -Dclassroom.screenshot=docs/classroom.png} it also saves the page, as
 * {@code scripts/classroom-screenshot.sh} does.
 */
class ClassroomBrowserIT {

    private static final Pattern JOIN = Pattern.compile("learners join with: --classroom (http://\\S+/join/([a-z2-7]{26}))");
    private static final Pattern PAGE = Pattern.compile("the room's page \\(for you, the instructor\\): (http://\\S+/room/([a-z2-7]{26})/)");
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @TempDir
    Path temp;

    private final List<Process> processes = new ArrayList<>();
    private final List<Running> running = new ArrayList<>();
    private ChromeDriver browser;

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.quit();
        }
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Running r : running) {
            System.err.println("---- output of a packlab of this test:\n" + r.out);
        }
    }

    /** A running packlab and what it printed so far. */
    private static final class Running {
        final Process process;
        final StringBuffer out = new StringBuffer();
        final OutputStream in;

        Running(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        out.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "packlab-output");
            t.setDaemon(true);
            t.start();
        }

        void type(String line) throws IOException {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
    }

    private Running packlab(Path folder, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Launcher.HOME.resolve("packlab").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        pb.environment().put("PWD", folder.toString());
        pb.environment().put("NO_COLOR", "1");
        pb.environment().remove("PACKLAB_CLASSROOM");
        pb.environment().remove("PACKLAB_NAME");
        Process p = pb.start();
        processes.add(p);
        Running r = new Running(p);
        running.add(r);
        return r;
    }

    private static void waitFor(int seconds, String what, Supplier<Boolean> condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (WebDriverException e) {
                // a row rebuilt while it was read: look again
            }
            if (System.nanoTime() > end) {
                fail("waited " + seconds + " s for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void requireChromium() {
        boolean present = new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute();
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true, but chromium or chromium-driver is not installed; .ci/run installs them.");
            }
            Assumptions.abort("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        }
    }

    private void lessons(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("01-note.md"), "---\nid: note\ntitle: Write a note\n---\n# Write a note\n\n"
                + "```sh\ntouch note.txt\n```\n\n```check\nfile note.txt exists   # hint: run the step: touch note.txt\n```\n");
        Files.writeString(dir.resolve("02-config.md"), "---\nid: config\ntitle: Write a config\n---\n# Write a config\n\n"
                + "```sh\necho write config.toml yourself\n```\n\n```check\nfile config.toml exists   # hint: create"
                + " config.toml in the work folder, for example with touch config.toml\n```\n");
        Files.writeString(dir.resolve("03-done.md"), "---\nid: done\ntitle: Finish\n---\n# Finish\n\n"
                + "```sh\ntouch done.txt\n```\n\n```check\nfile done.txt exists\n```\n");
    }

    private Running serve(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("classroom", "serve"));
        args.addAll(List.of(more));
        Running s = packlab(temp, args.toArray(String[]::new));
        waitFor(60, "classroom serve to print its lines", () -> s.out.toString().contains("Stop with Ctrl-C."));
        return s;
    }

    private Running learner(String name, String url, Path lessons) throws IOException {
        Path work = Files.createDirectories(temp.resolve("work-" + processes.size()));
        return packlab(work, "--workdir", work.toString(), "--lessons", lessons.toString(), "--classroom", url,
                "--name", name);
    }

    private WebElement row(String name) {
        for (WebElement r : browser.findElements(By.cssSelector("#learners tbody tr"))) {
            if (r.findElement(By.cssSelector("td.name")).getText().equals(name)) {
                return r;
            }
        }
        return null;
    }

    private boolean rowShows(String name, String text) {
        WebElement r = row(name);
        return r != null && r.getText().contains(text);
    }

    @Test
    void theRoomLiveInABrowserWithRealLearners() throws Exception {
        requireChromium();
        Path lessons = temp.resolve("lessons");
        lessons(lessons);
        Running server = serve("--port", "0");
        Matcher join = JOIN.matcher(server.out);
        Matcher page = PAGE.matcher(server.out);
        assertTrue(join.find() && page.find(), server.out.toString());
        String url = join.group(1);
        String pageUrl = page.group(1);

        Running aiko = learner("Aiko", url, lessons);
        Running ben = learner("Ben", url, lessons);
        Running chen = learner("Chen", url, lessons);
        Running hostile = learner(HOSTILE, url, lessons);

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,900",
                "--lang=en-US", "--force-device-scale-factor=1");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
        browser.get(pageUrl);
        waitFor(60, "the four learners on the page", () -> row("Aiko") != null && row("Ben") != null
                && row("Chen") != null && row(HOSTILE) != null);
        // a mark on the window: it survives only if the page is never reloaded
        ((JavascriptExecutor) browser).executeScript("window.stillThisPage = 'yes';");
        assertTrue(rowShows("Aiko", "1/3"));

        // Aiko passes lesson 1, then makes config.toml and passes lesson 2: her row follows, live
        aiko.type("run 1");
        waitFor(60, "Aiko's row: lesson 1 passed", () -> rowShows("Aiko", "passed") && rowShows("Aiko", "1/3 done"));
        aiko.type("next");
        waitFor(60, "Aiko's row at lesson 2", () -> rowShows("Aiko", "2/3"));
        aiko.type("!touch config.toml");
        aiko.type("run 2");
        aiko.type("next");
        waitFor(60, "Aiko's row at lesson 3", () -> rowShows("Aiko", "3/3"));
        chen.type("run 1");
        waitFor(60, "Chen's row: lesson 1 passed", () -> rowShows("Chen", "passed"));

        // Ben runs lesson 2 three times without config.toml: stuck, with the failing check and its hint
        ben.type("run 1");
        ben.type("next");
        waitFor(60, "Ben's row at lesson 2", () -> rowShows("Ben", "2/3"));
        for (int i = 0; i < 3; i++) {
            ben.type("run 2");
        }
        waitFor(60, "Ben marked stuck", () -> {
            WebElement r = row("Ben");
            return r != null && r.getAttribute("class").contains("stuck") && r.getText().contains("STUCK");
        });
        WebElement benRow = row("Ben");
        assertTrue(benRow.findElement(By.cssSelector("td.check")).getText().contains("config.toml"), benRow.getText());
        assertTrue(benRow.getText().contains("3 failures"), benRow.getText());
        assertEquals(benRow.getText(), browser.findElements(By.cssSelector("#learners tbody tr")).get(0).getText(),
                "the stuck learner comes first");

        // a push with a wrong code is refused, and the page counts it
        HttpResponse<String> wrong = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                url.substring(0, url.lastIndexOf('/') + 1) + "abcdefghijklmnopqrstuvwxyz"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, wrong.statusCode());
        waitFor(30, "the refused push counted on the page",
                () -> browser.findElement(By.id("refused-count")).getText().equals("1"));

        // the hostile name is text: shown as typed, no image made, no alert
        WebElement h = row(HOSTILE);
        assertEquals(HOSTILE, h.findElement(By.cssSelector("td.name")).getText());
        assertTrue(browser.findElements(By.cssSelector("img")).isEmpty());
        try {
            browser.switchTo().alert();
            fail("an alert opened: the name ran as markup");
        } catch (NoAlertPresentException expected) {
            // inert
        }
        assertEquals("yes", ((JavascriptExecutor) browser).executeScript("return window.stillThisPage;"));

        // the summary: learners per lesson, and the check that fails most with its hint
        String summary = browser.findElement(By.id("summary")).getText();
        assertTrue(summary.contains("config.toml"), summary);
        assertTrue(browser.findElement(By.cssSelector("#most-failing .hint")).getText().contains("touch config.toml"));

        screenshot();

        // Japanese, switched on the page
        browser.findElement(By.id("lang-switch")).click();
        waitFor(10, "the page in Japanese", () -> browser.findElement(By.id("h-name")).getText().equals("受講者"));
        assertTrue(row("Ben").getText().contains("つまずき"));
        browser.findElement(By.id("lang-switch")).click();

        // the server stops and starts again with the same codes: the learners, never restarted, reappear
        String port = url.replaceAll("^http://[^:]+:(\\d+)/.*$", "$1");
        new ProcessBuilder("kill", "-TERM", String.valueOf(server.process.pid())).start().waitFor();
        assertTrue(server.process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, server.process.exitValue(), server.out.toString());
        Running again = serve("--port", port, "--code", join.group(2), "--room-code", page.group(2));
        assertTrue(again.out.toString().contains(url), again.out.toString());
        waitFor(10, "the page to see the new server's empty room", () -> row("Aiko") == null);
        waitFor(60, "the learners back on the page", () -> rowShows("Aiko", "3/3") && rowShows("Ben", "2/3")
                && row("Chen") != null && row(HOSTILE) != null);
        assertTrue(row("Ben").getAttribute("class").contains("stuck"));
        assertEquals("yes", ((JavascriptExecutor) browser).executeScript("return window.stillThisPage;"));

        // learners quit: each says it left
        for (Running r : List.of(aiko, ben, chen, hostile)) {
            r.in.close();
        }
        waitFor(60, "the learners marked as left", () -> browser.findElements(By.cssSelector("#learners tr.away")).size() == 4);
        for (Running r : List.of(aiko, ben, chen, hostile)) {
            assertTrue(r.process.waitFor(30, TimeUnit.SECONDS));
        }
        new ProcessBuilder("kill", "-TERM", String.valueOf(again.process.pid())).start().waitFor();
        assertTrue(again.process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, again.process.exitValue());
    }

    private void screenshot() throws IOException {
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Path target = Launcher.HOME.resolve("target").resolve("classroom.png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        String wanted = System.getProperty("classroom.screenshot");
        if (wanted != null && !wanted.isBlank()) {
            Path out = Launcher.HOME.resolve(wanted);
            Files.createDirectories(out.getParent());
            Files.write(out, png);
        }
        assertFalse(png.length < 1000);
    }
}
