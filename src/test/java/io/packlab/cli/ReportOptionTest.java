package io.packlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --report FILE} refuses a file it could not write before anything runs. */
class ReportOptionTest {

    @TempDir
    Path work;

    private List<String> workFolder() throws Exception {
        try (var list = Files.list(work)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aReportInAFolderThatDoesNotExistIsRefusedBeforeTheRun() throws Exception {
        Path report = work.resolve("reports/packlab.xml");
        InProcessCli.Run r = InProcessCli.run(work, "--lessons", "src/test/resources/lessons/three", "run", "--all",
                "--report", report.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("error: cannot write the report to `" + report + "`: its folder " + report.getParent() + " does not"
                + " exist; create the folder first (mkdir -p " + report.getParent() + ") or name a file in an existing"
                + " folder. Nothing was run.\n", r.err());
        assertEquals("", r.out());
        assertEquals(List.of(), workFolder(), "nothing ran: no progress, no material");
    }

    @Test
    void aFolderAsTheReportIsRefused() {
        InProcessCli.Run r = InProcessCli.run(work, "--lessons", "src/test/resources/lessons/three", "run", "one",
                "--report", work.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: cannot write the report to `" + work + "`: it is a folder; name a file in"
                + " it, for example --report " + work.resolve("packlab-report.xml")), r.err());
    }
}
