package io.threadgov.kernels.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict of one kernel's runs: which times are reported, and that every run's checksum counts. */
class VerifyRowTest {

    private static ChildRun.Outcome run(Setting s, double ms, String checksum) {
        return new ChildRun.Outcome(s, true, null, checksum, true, ms, 10, 5, Map.of(), null, null);
    }

    private static Verdict row(String confirmationChecksum) {
        Setting agent = Setting.agent("agent.jar", null, null, null);
        Setting two = Setting.fixed(2, 1);
        Setting eight = Setting.fixed(8, 1);
        Verdict r = new Verdict("k");
        r.none = run(Setting.none(), 300, "42");
        r.agent = run(agent, 30, "42");
        r.grid.add(run(two, 20, "42"));   // the fastest grid run: picked, then not used for the time
        r.grid.add(run(eight, 28, "42"));
        r.pickBest();
        r.staticRuns.add(run(two, 26, "42"));
        r.agentRuns.add(run(agent, 27, "42"));
        r.agentRuns.add(run(agent, 29, confirmationChecksum));
        r.staticRuns.add(run(two, 24, "42"));
        r.agentRuns.add(run(agent, 28, "42"));
        r.staticRuns.add(run(two, 25, "42"));
        r.judge();
        return r;
    }

    @Test
    void reportsTheAgentsMedianAndTheConfirmationRunsOfTheFastestGridPointNotItsGridRun() {
        Verdict r = row("42");
        assertTrue(r.ok, () -> String.valueOf(r.reasons));
        assertEquals("outer=2 inner=1", r.best.setting().label());
        assertEquals(28.5, r.agentMs, 1e-9);  // median of 30, 27, 29, 28
        assertEquals(25.0, r.bestMs, 1e-9);   // median of 26, 24, 25; the grid's 20 is not among them
    }

    @Test
    void theNextFastestGridPointIsConfirmedTooWhenCloseAndTheLowerConfirmationMedianIsTheBest() {
        Setting agent = Setting.agent("agent.jar", null, null, null);
        Setting two = Setting.fixed(2, 1);
        Setting eight = Setting.fixed(8, 1);
        Setting twoDefault = Setting.fixed(2, 2);
        Verdict r = new Verdict("k");
        r.none = run(Setting.none(), 300, "7");
        r.agent = run(agent, 33, "7");
        r.grid.add(run(two, 35.2, "7"));
        r.grid.add(run(twoDefault, 77.7, "7"));
        r.grid.add(run(eight, 28.6, "7"));   // won the grid's race
        r.pickBest();
        assertEquals("outer=8 inner=1", r.best.setting().label());
        assertEquals(List.of("outer=8 inner=1", "outer=2 inner=1"),
                r.contenders().stream().map(Setting::label).toList(), "77.7 is more than 1.25 x 28.6 away");
        for (double[] round : new double[][] {{36, 31}, {38, 33}, {35, 32}}) {
            r.staticRuns.add(run(eight, round[0], "7"));
            r.staticRuns.add(run(two, round[1], "7"));
            r.agentRuns.add(run(agent, 32, "7"));
        }
        r.judge();
        assertTrue(r.ok, () -> String.valueOf(r.reasons));
        assertEquals("outer=2 inner=1", r.best.setting().label(), "its confirmation runs were faster");
        assertEquals(32.0, r.bestMs, 1e-9);
        assertEquals(List.of(31.0, 33.0, 32.0), r.bestRuns.stream().map(ChildRun.Outcome::ms).toList());
    }

    @Test
    void aFarSecondGridPointIsNotConfirmed() {
        Verdict r = new Verdict("k");
        r.grid.add(run(Setting.fixed(2, 1), 20, "1"));
        r.grid.add(run(Setting.fixed(8, 1), 25.1, "1"));
        r.grid.add(run(Setting.fixed(8, 2), 21, "1"));
        r.grid.add(run(Setting.fixed(2, 2), 22, "1"));
        assertEquals(List.of("outer=2 inner=1", "outer=8 inner=2"),
                r.contenders().stream().map(Setting::label).toList(), "the two fastest, at most two");
        Verdict far = new Verdict("k");
        far.grid.add(run(Setting.fixed(2, 1), 20, "1"));
        far.grid.add(run(Setting.fixed(8, 1), 25.1, "1"));
        assertEquals(List.of("outer=2 inner=1"), far.contenders().stream().map(Setting::label).toList());
    }

    @Test
    void aConfirmationRunWithAnotherChecksumMakesTheKernelNotOk() {
        Verdict r = row("43");
        assertFalse(r.ok);
        assertEquals(1, r.reasons.size(), () -> String.valueOf(r.reasons));
        assertTrue(r.reasons.get(0).contains("checksum 43"), r.reasons.get(0));
    }

    @Test
    void withoutConfirmationRoundsBothSidesAreTheirSingleRuns() {
        Verdict r = new Verdict("k");
        r.none = run(Setting.none(), 300, "1");
        r.agent = run(Setting.agent("agent.jar", null, null, null), 30, "1");
        r.grid.add(run(Setting.fixed(2, 1), 20, "1"));
        r.judge();
        assertTrue(r.ok);
        assertEquals(30.0, r.agentMs, 1e-9);
        assertEquals(20.0, r.bestMs, 1e-9);
        assertEquals(List.of(), r.bestRuns);
    }
}
