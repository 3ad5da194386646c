package io.packlab.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.packlab.term.Wording;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScriptOutcomeTest {

    private static final Wording EN = Wording.of("en");

    @Test
    void allSucceededIsZeroWithNothingToSay() {
        ScriptOutcome o = new ScriptOutcome();
        o.record(1, "list", 0);
        o.record(3, "status", 0);
        assertEquals(0, o.exitCode());
        assertEquals(Optional.empty(), o.summary(EN));
    }

    @Test
    void theMostSeriousFailureDecidesWhateverItsOrder() {
        ScriptOutcome o = new ScriptOutcome();
        o.record(1, "check", 1);
        o.record(2, "check", 3);
        o.record(4, "run 99", 2);
        o.record(5, "list", 0);
        assertEquals(3, o.exitCode());
        assertEquals(Optional.of("3 of 4 commands failed (the first: line 1, `check`); exit code 3, the most serious of"
                + " them: the Docker engine could not be used."), o.summary(EN));
    }

    @Test
    void codesOutsideTheContractCountAsAFailedStep() {
        ScriptOutcome o = new ScriptOutcome();
        o.record(1, "x".repeat(100), 7);
        assertEquals(1, o.exitCode());
        assertEquals(Optional.of("1 of 1 command failed (the first: line 1, `" + "x".repeat(57) + "...`); exit code 1,"
                + " the most serious of them: a check or step failed."), o.summary(EN));
    }

    @Test
    void theSentenceIsInTheLearnersLanguage() {
        ScriptOutcome o = new ScriptOutcome();
        o.record(1, "list", 0);
        o.record(2, "run 99", 2);
        assertEquals(Optional.of("2 件のコマンドのうち 1 件が失敗しました（最初: 2 行目、`run 99`）。終了コードは 2 で、"
                + "そのうちもっとも深刻なもの（入力の誤り）です。"), o.summary(Wording.of("ja")));
    }
}
