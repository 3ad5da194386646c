package io.packlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JUnitXmlTest {

    private static final String ODD_NAME = "image \"a\" label 'b' = <c> & d";
    private static final String JAPANESE = "イメージ distroless-python:build のラベル 味 = 醤油";
    private static final String CONTROL = "red \u001b[31mtext\u001b[0m, bell \u0007, nul \u0000, end";
    private static final String CDATA_END = "a ]]> b ]]]]><![CDATA[> c";

    private static JUnitReport report() {
        List<JUnitReport.Case> cases = List.of(
                new JUnitReport.Case("stack", "step 1: docker build -t \"x\" .", 1.5, new JUnitReport.Passed()),
                new JUnitReport.Case("stack", ODD_NAME, 0.25, new JUnitReport.Failed(false,
                        "expected \"plain\"\nfound <none>", "packlab.check", CDATA_END + "\nhint: " + JAPANESE)),
                new JUnitReport.Case("stack", JAPANESE, 0.0, new JUnitReport.Failed(true, CONTROL, "packlab.engine",
                        CONTROL + " \uD800 alone, 😀 pair")),
                new JUnitReport.Case("stack", "image x exists", 0, new JUnitReport.Skipped("not reached: step 2 failed")));
        JUnitReport.Suite suite = new JUnitReport.Suite("stack", LocalDateTime.of(2026, 1, 2, 3, 4, 5, 600_000_000),
                2.0, properties(), cases);
        JUnitReport.Suite empty = new JUnitReport.Suite("never", LocalDateTime.of(2026, 1, 2, 3, 4, 5), 0, Map.of(),
                List.of(new JUnitReport.Case("never", "step 1: ls", 0, new JUnitReport.Skipped("not reached"))));
        return new JUnitReport("packlab", List.of(suite, empty));
    }

    private static Map<String, String> properties() {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("packlab.engine", "Docker 20.10.24");
        p.put("lesson.title", "スタックを作る \"stack\"");
        return p;
    }

    private static Document dom(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element testcase(Document doc, int index) {
        return (Element) doc.getElementsByTagName("testcase").item(index);
    }

    @Test
    void namesWithQuotesAndMarkupAndJapaneseComeBackAsWritten() throws Exception {
        Document doc = dom(JUnitXml.write(report()));
        assertEquals("step 1: docker build -t \"x\" .", testcase(doc, 0).getAttribute("name"));
        assertEquals(ODD_NAME, testcase(doc, 1).getAttribute("name"));
        assertEquals(JAPANESE, testcase(doc, 2).getAttribute("name"));
        Element failure = (Element) testcase(doc, 1).getElementsByTagName("failure").item(0);
        assertEquals("expected \"plain\"\nfound <none>", failure.getAttribute("message"), "the line end survives");
        assertEquals("packlab.check", failure.getAttribute("type"));
        assertEquals(CDATA_END + "\nhint: " + JAPANESE, failure.getTextContent());
        Element property = (Element) doc.getElementsByTagName("property").item(1);
        assertEquals("スタックを作る \"stack\"", property.getAttribute("value"));
    }

    @Test
    void controlCharactersThatXmlCannotCarryAreWrittenAsEscapes() throws Exception {
        String xml = JUnitXml.write(report());
        for (char c : xml.toCharArray()) {
            assertTrue(c >= 0x20 || c == '\n', "no control character in the file: " + (int) c);
        }
        assertFalse(xml.contains("]]>"), "`]]>` never appears raw");
        Document doc = dom(xml); // well-formed XML 1.0
        Element error = (Element) testcase(doc, 2).getElementsByTagName("error").item(0);
        String expected = "red \\u001B[31mtext\\u001B[0m, bell \\u0007, nul \\u0000, end";
        assertEquals(expected, error.getAttribute("message"));
        assertEquals(expected + " \uFFFD alone, 😀 pair", error.getTextContent());
    }

    @Test
    void countsAndTimesAreRightWhateverTheLocale() throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        String xml;
        try {
            xml = JUnitXml.write(report());
        } finally {
            Locale.setDefault(before);
        }
        Document doc = dom(xml);
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals(List.of("5", "1", "1", "2", "2.000"), List.of(root.getAttribute("tests"),
                root.getAttribute("failures"), root.getAttribute("errors"), root.getAttribute("skipped"),
                root.getAttribute("time")));
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals(List.of("stack", "4", "1", "1", "1", "2.000", "2026-01-02T03:04:05"), List.of(
                suite.getAttribute("name"), suite.getAttribute("tests"), suite.getAttribute("failures"),
                suite.getAttribute("errors"), suite.getAttribute("skipped"), suite.getAttribute("time"),
                suite.getAttribute("timestamp")));
        assertEquals("1.500", testcase(doc, 0).getAttribute("time"));
        assertEquals("0.250", testcase(doc, 1).getAttribute("time"));
        NodeList skipped = testcase(doc, 3).getElementsByTagName("skipped");
        assertEquals("not reached: step 2 failed", ((Element) skipped.item(0)).getAttribute("message"));
    }

    @Test
    void surefiresParserReadsTheOddNamesAndCounts() throws Exception {
        byte[] bytes = JUnitXml.write(report()).getBytes(StandardCharsets.UTF_8);
        List<ReportTestSuite> suites = new TestSuiteXmlParser(new NullConsoleLogger())
                .parse(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        assertEquals(List.of("stack", "never"), suites.stream().map(ReportTestSuite::getFullClassName).toList());
        ReportTestSuite stack = suites.get(0);
        assertEquals(List.of(4, 1, 1, 1), List.of(stack.getNumberOfTests(), stack.getNumberOfFailures(),
                stack.getNumberOfErrors(), stack.getNumberOfSkipped()));
        ReportTestCase odd = stack.getTestCases().get(1);
        assertEquals(ODD_NAME, odd.getName());
        assertTrue(odd.hasFailure());
        assertEquals("expected \"plain\"\nfound <none>", odd.getFailureMessage());
        assertTrue(odd.getFailureDetail().contains("hint: " + JAPANESE), odd.getFailureDetail());
        assertEquals(JAPANESE, stack.getTestCases().get(2).getName());
        assertTrue(stack.getTestCases().get(2).hasError());
    }
}
