package io.packlab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.engine.DockerEngine;
import io.packlab.support.FakeSocketEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code run --report FILE} through the real launcher: a lesson folder of its own (one lesson that
 * passes, one whose check fails, one not reached) on the real engine, its report opened with Maven
 * Surefire's own JUnit-XML parser; a run stopped by SIGINT/SIGTERM in the middle of a step and one
 * whose engine goes away in the middle still leave a whole report that says what ran; the tutorial's
 * first lesson passes with its report.
 */
class JUnitReportIT {

    private static final String IMAGE = "packlab-report-it:ok";
    private static final Map<String, String> ENV = Map.of("PACKLAB_BASES", "local");
    private static final String DEFAULT_HOST = System.getenv().getOrDefault("DOCKER_HOST", "(not set: the default socket)");

    @TempDir
    static Path tmp;

    private static Path lessons;
    private static DockerEngine engine;

    @BeforeAll
    static void lessonFolder() throws Exception {
        engine = DockerSupport.engine();
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM packlab-base/debian:bookworm-slim\n"
                + "LABEL io.example.flavour=\"plain\"\n");
        lessons = Files.createDirectories(tmp.resolve("lessons"));
        Files.writeString(lessons.resolve("01-build.md"), """
                ---
                id: build
                title: Build an image
                ---
                # Build an image

                ```sh
                docker build -t %s %s
                ```

                ```check
                image %s exists
                image %s label io.example.flavour = plain
                ```
                """.formatted(IMAGE, ctx, IMAGE, IMAGE));
        Files.writeString(lessons.resolve("02-flavour.md"), """
                ---
                id: flavour
                title: 味を変える
                ---
                # 味を変える "flavour"

                ```sh
                ls
                ```

                ```check
                image %s exists
                image %s label io.example.flavour = 醤油   # hint: set LABEL io.example.flavour="醤油" in the Dockerfile
                ```
                """.formatted(IMAGE, IMAGE));
        Files.writeString(lessons.resolve("03-later.md"), """
                ---
                id: later
                title: Never reached
                ---
                # Later

                ```sh
                ls
                ```

                ```check
                image %s exists
                ```
                """.formatted(IMAGE));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (engine != null) {
            for (Path work : List.of(tmp.resolve("work"), tmp.resolve("tutorial"))) {
                if (Files.isDirectory(work)) {
                    Launcher.run(ENV, "--workdir=" + work, "reset", "--yes");
                }
            }
            engine.close();
        }
    }

    private static List<ReportTestSuite> parse(Path report) throws Exception {
        return new TestSuiteXmlParser(new NullConsoleLogger()).parse(report.toString());
    }

    private static List<Integer> counts(ReportTestSuite s) {
        return List.of(s.getNumberOfTests(), s.getNumberOfFailures(), s.getNumberOfErrors(), s.getNumberOfSkipped());
    }

    private static List<String> names(ReportTestSuite s) {
        return s.getTestCases().stream().map(ReportTestCase::getName).toList();
    }

    private static Document dom(Path report) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
    }

    /** The properties of the first test suite, by name. */
    private static Map<String, String> properties(Document doc) {
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        NodeList list = suite.getElementsByTagName("property");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element p = (Element) list.item(i);
            out.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        return out;
    }

    /** The totals the report declares on its root agree with what a reader counts in it. */
    private static void assertTotals(Document doc, List<ReportTestSuite> suites) {
        Element root = doc.getDocumentElement();
        assertEquals(List.of(sum(suites, 0), sum(suites, 1), sum(suites, 2), sum(suites, 3)), List.of(
                Integer.parseInt(root.getAttribute("tests")), Integer.parseInt(root.getAttribute("failures")),
                Integer.parseInt(root.getAttribute("errors")), Integer.parseInt(root.getAttribute("skipped"))));
    }

    private static int sum(List<ReportTestSuite> suites, int which) {
        return suites.stream().mapToInt(s -> counts(s).get(which)).sum();
    }

    private static List<String> hiddenFiles(Path folder) throws Exception {
        try (var list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void aFailingLessonFolderGivesAReportThatSurefiresParserReads() throws Exception {
        Path reports = Files.createDirectories(tmp.resolve("reports"));
        Path report = reports.resolve("packlab.xml");
        Launcher.Result r = Launcher.run(ENV, "--workdir=" + tmp.resolve("work"), "--engine", "builtin", "--lessons",
                lessons.toString(), "run", "--all", "--report", report.toString());
        assertEquals(1, r.code(), r.all());
        assertTrue(r.out().contains("JUnit report: " + report + " (8 tests, 1 failed, 0 errors, 2 skipped)"), r.out());

        List<ReportTestSuite> suites = parse(report);
        assertEquals(List.of("build", "flavour", "later"), suites.stream().map(ReportTestSuite::getFullClassName).toList());
        assertEquals(List.of(3, 0, 0, 0), counts(suites.get(0)));
        assertEquals(List.of(3, 1, 0, 0), counts(suites.get(1)));
        assertEquals(List.of(2, 0, 0, 2), counts(suites.get(2)));
        assertEquals(List.of("step 1: docker build -t " + IMAGE + " " + tmp.resolve("ctx"), "image " + IMAGE + " exists",
                "image " + IMAGE + " label io.example.flavour = plain"), names(suites.get(0)));
        assertEquals(List.of("step 1: ls", "image " + IMAGE + " exists",
                "image " + IMAGE + " label io.example.flavour = 醤油"), names(suites.get(1)));
        assertTrue(suites.get(0).getTestCases().get(0).getTime() > 0, "the build took time");

        ReportTestCase failed = suites.get(1).getTestCases().get(2);
        assertTrue(failed.hasFailure());
        assertEquals("expected io.example.flavour=醤油, found io.example.flavour=plain", failed.getFailureMessage());
        assertEquals("packlab.check", failed.getFailureType());
        assertTrue(failed.getFailureDetail().contains("hint:     set LABEL io.example.flavour=\"醤油\" in the Dockerfile"),
                failed.getFailureDetail());
        assertTrue(failed.getFailureDetail().contains("at:       " + lessons.resolve("02-flavour.md") + ":13"),
                failed.getFailureDetail());
        for (ReportTestCase later : suites.get(2).getTestCases()) {
            assertTrue(later.hasSkipped(), later.getName());
            assertEquals("not reached: lesson `flavour` did not pass", later.getFailureMessage());
        }

        Document doc = dom(report);
        assertTotals(doc, suites);
        Map<String, String> p = properties(doc);
        assertEquals("Build an image", p.get("lesson.title"));
        assertTrue(p.get("packlab.engine").startsWith("Docker 20.10") || p.get("packlab.engine").startsWith("Docker 2"),
                p.toString());
        assertEquals(DEFAULT_HOST, p.get("DOCKER_HOST"));
        assertEquals(lessons.toString(), p.get("packlab.lessons"));
        assertEquals("en", p.get("packlab.lang"));
        assertFalse(p.get("packlab.version").isBlank());
        assertEquals(List.of(), hiddenFiles(reports), "no temporary file left beside the report");
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"INT, 130", "TERM, 143"})
    void aRunStoppedInTheMiddleOfAStepStillLeavesAReport(String signal, int code) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("slow-" + signal));
        Files.writeString(folder.resolve("01-slow.md"), """
                ---
                id: slow
                title: A slow step
                ---
                # Slow

                ```sh
                ls
                ```

                ```sh
                sleep 120
                ```

                ```sh
                ls
                ```

                ```check
                image %s exists
                ```
                """.formatted(IMAGE));
        Path report = tmp.resolve("slow-" + signal + ".xml");
        Launcher.Running running = Launcher.startInterruptible(ENV, "--workdir=" + tmp.resolve("work-" + signal),
                "--lessons", folder.toString(), "run", "slow", "--report", report.toString());
        running.awaitOutput("$ sleep 120", 60);
        Thread.sleep(300);
        running.signal(signal);
        Launcher.Result r = running.await(60);
        assertEquals(code, r.code(), r.all());

        List<ReportTestSuite> suites = parse(report);
        assertEquals(List.of(4, 0, 1, 2), counts(suites.get(0)), r.all());
        List<ReportTestCase> cases = suites.get(0).getTestCases();
        assertTrue(cases.get(0).isSuccessful(), "step 1 ran and passed");
        assertTrue(cases.get(1).hasError(), "the step that was running");
        assertEquals("step 2: sleep 120", cases.get(1).getName());
        assertEquals("packlab.cancelled", cases.get(1).getFailureType(), "the report the run wrote as it unwound");
        assertTrue(cases.get(1).getTime() > 0.2, "it ran until the signal: " + cases.get(1).getTime());
        assertEquals("not reached: step 2 was stopped (Ctrl-C or a signal)", cases.get(2).getFailureMessage());
        assertTotals(dom(report), suites);
        assertEquals(List.of(), hiddenFiles(tmp).stream().filter(n -> n.contains(".packlab-")).toList());
    }

    @Test
    void anEngineThatGoesAwayMidRunLeavesAReportWithTheErrorWhereItHappened() throws Exception {
        AtomicBoolean gone = new AtomicBoolean();
        FakeSocketEngine.Behaviour behaviour = (method, path) -> {
            if (!gone.get()) {
                switch (path) {
                    case "/_ping":
                        return new FakeSocketEngine.Answer(200, "text/plain", "OK");
                    case "/version":
                        return FakeSocketEngine.Answer.json(FakeSocketEngine.VERSION_141);
                    case "/info":
                        return FakeSocketEngine.Answer.json("{\"Driver\":\"overlay2\",\"OperatingSystem\":\"Fake\","
                                + "\"Architecture\":\"x86_64\",\"DockerRootDir\":\"/nonexistent\"}");
                    case "/containers/json":
                        return FakeSocketEngine.Answer.json("[]");
                    default:
                        break;
                }
            }
            gone.set(true); // from the first real work on, the engine is gone
            return FakeSocketEngine.Answer.HANG_UP;
        };
        Path folder = Files.createDirectories(tmp.resolve("gone"));
        Files.writeString(folder.resolve("01-gone.md"), """
                ---
                id: gone
                title: The engine goes away
                ---
                # Gone

                ```sh
                ls
                ```

                ```sh
                docker build -t packlab-report-it:gone %s
                ```

                ```sh
                ls
                ```

                ```check
                image packlab-report-it:gone exists
                ```
                """.formatted(tmp.resolve("ctx")));
        Path report = tmp.resolve("gone.xml");
        try (FakeSocketEngine fake = FakeSocketEngine.start(tmp.resolve("fake.sock"), behaviour)) {
            Map<String, String> env = new HashMap<>(ENV);
            env.putAll(fake.env());
            Launcher.Result r = Launcher.run(env, "--workdir=" + tmp.resolve("work-gone"), "--lessons", folder.toString(),
                    "run", "gone", "--report", report.toString());
            assertEquals(3, r.code(), r.all());

            List<ReportTestSuite> suites = parse(report);
            assertEquals(List.of(4, 0, 1, 2), counts(suites.get(0)), r.all());
            List<ReportTestCase> cases = suites.get(0).getTestCases();
            assertTrue(cases.get(0).isSuccessful());
            assertTrue(cases.get(1).hasError());
            assertEquals("packlab.engine", cases.get(1).getFailureType());
            assertTrue(r.err().contains(cases.get(1).getFailureMessage()), "the report's message is the paragraph printed: "
                    + cases.get(1).getFailureMessage() + " / " + r.err());
            List<String> skipped = new ArrayList<>();
            cases.subList(2, 4).forEach(c -> skipped.add(c.getFailureMessage()));
            assertEquals(List.of("not reached: step 2 failed", "not reached: step 2 failed"), skipped);
            Map<String, String> p = properties(dom(report));
            assertEquals(fake.host(), p.get("DOCKER_HOST"));
            assertEquals("Docker 20.10.24", p.get("packlab.engine"), "described while it still answered");
        }
    }

    @Test
    void theTutorialsFirstLessonPassesWithItsReport() throws Exception {
        Path report = tmp.resolve("tutorial.xml");
        Launcher.Result r = Launcher.run(ENV, "--workdir=" + tmp.resolve("tutorial"), "--engine", "builtin", "run", "stack",
                "--report", report.toString());
        assertEquals(0, r.code(), r.all());
        List<ReportTestSuite> suites = parse(report);
        assertEquals(1, suites.size());
        ReportTestSuite stack = suites.get(0);
        assertEquals("stack", stack.getFullClassName());
        assertEquals(List.of(10, 0, 0, 0), counts(stack));
        assertEquals("step 1: cd stacks/distroless-python && docker build -t distroless-python:build ./build"
                + " && docker build -t distroless-python:run ./run", names(stack).get(0));
        assertEquals("image distroless-python:run user not root", names(stack).get(9));
        Document doc = dom(report);
        assertTotals(doc, suites);
        Map<String, String> p = properties(doc);
        assertEquals("Create a stack (build image and run image)", p.get("lesson.title"));
        assertEquals("lessons/en/01-stack.md", p.get("lesson.file"));
        assertTrue(p.get("packlab.engine").startsWith("Docker "), p.toString());
        assertEquals("builtin", p.get("packlab.pack"));
    }
}
