package io.packlab.cnb.descriptor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FilePatternsTest {

    private static FilePatterns of(String... lines) {
        return FilePatterns.of(List.of(lines));
    }

    @Test
    void aNameWithoutSlashMatchesAtAnyDepthAndAllBelowIt() {
        FilePatterns p = of("README.md", "node_modules", "*.log");
        assertTrue(p.matches("README.md", false));
        assertTrue(p.matches("docs/README.md", false));
        assertTrue(p.matches("node_modules", true));
        assertTrue(p.matches("web/node_modules/x/index.js", false), "inside a matched folder");
        assertTrue(p.matches("logs/today.log", false));
        assertFalse(p.matches("README.md.bak", false));
        assertFalse(p.matches("app.py", false));
    }

    @Test
    void slashesAnchorAndATrailingSlashMeansFolders() {
        FilePatterns p = of("/build", "docs/*.md", "secret/");
        assertTrue(p.matches("build", true));
        assertFalse(p.matches("src/build", true), "anchored at the project folder");
        assertTrue(p.matches("docs/a.md", false));
        assertFalse(p.matches("docs/deep/a.md", false), "* stays within a segment");
        assertTrue(p.matches("secret", true));
        assertTrue(p.matches("secret/key.pem", false));
        assertFalse(p.matches("secret", false), "a file named secret is not a folder");
        assertTrue(p.matches("x/secret/key.pem", false));
    }

    @Test
    void doubleStarsQuestionMarksClassesNegationAndComments() {
        FilePatterns p = of("# a comment", "", "**/tmp/**", "a/**/z", "file?.txt", "[abc].bin", "*.log", "!keep.log",
                "\\#hash");
        assertTrue(p.matches("tmp/x", false));
        assertTrue(p.matches("one/two/tmp/x/y", false));
        assertTrue(p.matches("a/z", false));
        assertTrue(p.matches("a/b/c/z", false));
        assertTrue(p.matches("file1.txt", false));
        assertFalse(p.matches("file10.txt", false));
        assertTrue(p.matches("b.bin", false));
        assertFalse(p.matches("d.bin", false));
        assertTrue(p.matches("x.log", false));
        assertFalse(p.matches("keep.log", false), "the last matching pattern decides");
        assertTrue(p.matches("#hash", false));
        assertFalse(p.matches("# a comment", false));
    }

    @Test
    void aFileInAMatchedFolderCannotBeNegatedBackAsInGit() {
        FilePatterns p = of("out/", "!out/keep.txt");
        assertTrue(p.matches("out/keep.txt", false));
    }
}
