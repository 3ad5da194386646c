package io.packlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.packlab.error.PacklabException;
import io.packlab.support.ReadOnlyFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFileTest {

    @TempDir
    Path dir;

    private List<String> names() throws Exception {
        try (var list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private PacklabException refused(Path path) {
        PacklabException e = assertThrows(PacklabException.class, () -> ReportFile.open(dir, path));
        assertEquals(PacklabException.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot write the report to `" + path + "`: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(". Nothing was run."), e.getMessage());
        return e;
    }

    @Test
    void aReportReplacesTheOldOneWholeAndLeavesNoTemporaryFile() throws Exception {
        ReportFile file = ReportFile.open(dir, Path.of("report.xml"));
        assertEquals(List.of(), names(), "opening only tries the folder");
        file.write(() -> "<first/>");
        file.write(() -> "<second/>");
        assertEquals("<second/>", Files.readString(dir.resolve("report.xml")));
        assertEquals(List.of("report.xml"), names());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("report.xml"))));
    }

    @Test
    void aFailingReportLeavesThePreviousOneAsItWas() throws Exception {
        ReportFile file = ReportFile.open(dir, Path.of("report.xml"));
        file.write(() -> "<first/>");
        PacklabException e = assertThrows(PacklabException.class, () -> file.write(() -> {
            throw new PacklabException(PacklabException.USAGE, "no");
        }));
        assertEquals("no", e.getMessage());
        assertEquals("<first/>", Files.readString(dir.resolve("report.xml")));
        try (ReadOnlyFolder ro = ReadOnlyFolder.of(dir)) {
            PacklabException readOnly = assertThrows(PacklabException.class, () -> file.write(() -> "<second/>"));
            assertEquals(PacklabException.USAGE, readOnly.exitCode());
            assertTrue(readOnly.getMessage().contains("the file holds the report written before"), readOnly.getMessage());
        }
        assertEquals("<first/>", Files.readString(dir.resolve("report.xml")));
        assertEquals(List.of("report.xml"), names());
    }

    @Test
    void aFolderIsRefused() {
        assertTrue(refused(Path.of(".")).getMessage().contains("it is a folder; name a file in it, for example --report "
                + dir.resolve("packlab-report.xml")));
    }

    @Test
    void aMissingFolderIsRefused() {
        String m = refused(Path.of("build/reports/packlab.xml")).getMessage();
        assertTrue(m.contains("its folder " + dir.resolve("build/reports") + " does not exist; create the folder first"
                + " (mkdir -p " + dir.resolve("build/reports") + ")"), m);
    }

    @Test
    void aDeviceIsRefused() {
        String m = refused(Path.of("/dev/null")).getMessage();
        assertTrue(m.contains("it exists and is not a regular file"), m);
    }

    @Test
    void aReadOnlyFolderIsRefusedBeforeTheRun() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("ro"));
        try (ReadOnlyFolder ro = ReadOnlyFolder.of(folder)) {
            String m = refused(Path.of("ro/report.xml")).getMessage();
            assertTrue(m.contains("packlab cannot write in its folder " + folder + " ("), m);
            assertTrue(m.contains("read-only") || m.contains("permission denied"), m);
        }
    }

    @Test
    void aLinkIsFollowedAndStays() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real")).resolve("report.xml");
        Files.writeString(real, "<old/>");
        Path link = Files.createSymbolicLink(dir.resolve("link.xml"), real);
        ReportFile file = ReportFile.open(dir, Path.of("link.xml"));
        file.write(() -> "<new/>");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("<new/>", Files.readString(real));
    }
}
