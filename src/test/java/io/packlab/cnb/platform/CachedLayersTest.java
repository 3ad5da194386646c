package io.packlab.cnb.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the restore's records and fingerprints let the exporter take as unchanged, and what they never let it. */
class CachedLayersTest {

    private static final String DIFF = "sha256:" + "0f".repeat(32);
    private static final String A = "a1".repeat(32);
    private static final String B = "b2".repeat(32);

    private static CachedLayers restored(String... lines) {
        CachedLayers c = CachedLayers.none();
        for (String l : lines) {
            assertTrue(c.restoreLine(l), l);
        }
        return c;
    }

    @Test
    void aRecordedLayerWhoseFingerprintIsTheSameAfterTheBuildIsUnchanged() {
        CachedLayers c = restored("+layer\tex_a\tdeps\t" + DIFF + "\t10240\t1000:1000\t1", "+fingerprint\tex_a/deps\t" + A);
        assertEquals(List.of("ex_a/deps"), c.restored());
        assertEquals(Optional.empty(), c.unchanged("ex_a/deps", 1000, 1000), "no fingerprint after the build yet");
        assertTrue(c.builtLine("+fingerprint\tex_a/deps\t" + A));
        assertEquals(Optional.of(new CachedLayers.Record("ex_a/deps", DIFF, 10240, 1000, 1000)),
                c.unchanged("ex_a/deps", 1000, 1000));
        c.builtLine("+fingerprint\tex_a/deps\t" + B);
        assertEquals(Optional.empty(), c.unchanged("ex_a/deps", 1000, 1000), "changed by the build");
    }

    @Test
    void recordsOfAnotherFormatOrThatDoNotParseAndEmptyListingsAreNeverUsed() {
        for (String record : List.of("+layer\tex_a\tdeps\t" + DIFF + "\t10240\t1000:1000\t2",
                "+layer\tex_a\tdeps\tsha256:beef\t10240\t1000:1000\t1",
                "+layer\tex_a\tdeps\t" + DIFF + "\t-1\t1000:1000\t1",
                "+layer\tex_a\tdeps\t" + DIFF + "\t10240\t1000\t1",
                "+layer\tex_a\tdeps\t" + DIFF + "\t10240\t1000:1000\t1\textra")) {
            CachedLayers c = restored(record, "+fingerprint\tex_a/deps\t" + A);
            c.builtLine("+fingerprint\tex_a/deps\t" + A);
            assertEquals(Optional.empty(), c.unchanged("ex_a/deps", 1000, 1000), record);
        }
        String empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        CachedLayers c = restored("+layer\tex_a\tdeps\t" + DIFF + "\t10240\t1000:1000\t1",
                "+fingerprint\tex_a/deps\t" + empty);
        c.builtLine("+fingerprint\tex_a/deps\t" + empty);
        assertEquals(Optional.empty(), c.unchanged("ex_a/deps", 1000, 1000), "a listing that gave nothing");
        assertFalse(c.restoreLine("Restoring cached layer 'ex_a:deps'"), "the learner's lines are not its own");
    }

    @Test
    void aRecordLineIsWrittenOnlyForANameALineCanHold() {
        assertEquals("ex_a\tdeps\t" + DIFF + "\t5\t1:2\t1\n", CachedLayers.recordsFile(List.of(
                new CachedLayers.Record("ex_a/deps", DIFF, 5, 1, 2), new CachedLayers.Record("ex_a/a\tb", DIFF, 5, 1,
                        2), new CachedLayers.Record("ex_a/a\nb", DIFF, 5, 1, 2))));
    }
}
