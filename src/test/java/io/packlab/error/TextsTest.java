package io.packlab.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void shortWordsAndShortTextsAreKept() {
        String path = "/tmp/" + "x".repeat(190);
        assertEquals("there is no lesson `" + path + "`.", Texts.shorten("there is no lesson `" + path + "`."));
        assertEquals("a  b\n c", Texts.shorten("a  b\n c"));
    }

    @Test
    void aLongWordKeepsItsStartItsLengthAndTheQuotesAroundIt() {
        String big = "a".repeat(100_000);
        String s = Texts.shorten("there is no lesson `" + big + "`. The lessons are: stack.");
        assertEquals("there is no lesson `" + "a".repeat(60) + "… (100000 characters)`. The lessons are: stack.", s);
    }

    @Test
    void charactersAreCountedNotUtf16Units() {
        String big = "😀".repeat(300);
        String s = Texts.word(big);
        assertEquals("😀".repeat(60) + "… (300 characters)", s);
    }

    @Test
    void undecodableBytesAreRecognised() {
        assertTrue(Texts.undecodable("/tmp/w\uFFFD"));
        assertFalse(Texts.undecodable("/tmp/wé"));
    }

    @Test
    void aPacklabExceptionShortensWhatItIsGiven() {
        PacklabException e = PacklabException.usage("not `" + "b".repeat(5000) + "`.");
        assertEquals("not `" + "b".repeat(60) + "… (5000 characters)`.", e.getMessage());
    }
}
