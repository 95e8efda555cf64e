package io.threadgov.it.realapps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * XGBoost4J 3.4.0 (realapps/xgboost, {@code XgboostApp}), unmodified: a fixed pool of 4 trains 4 boosters per
 * round, 3 rounds; XGBoost's native library runs OpenMP teams of the system's libgomp, which it loads in the
 * pool's first tasks. Each training's team is measured by the application itself (the OS threads libgomp
 * started for its worker that used CPU meanwhile). Without the agent every team has every core; with it
 * ({@code cores=2}: a worker's share is 1) teams of 1.
 *
 * <p>What count XGBoost reads: its default ({@code nthread} unset, 0) and also an explicit {@code nthread=2} are
 * capped by {@code omp_get_max_threads()} of the training thread at each parallel region (the explicit count
 * gives teams of 1 with the agent, below), so the per-thread OpenMP setting the agent makes at each task's start
 * reaches every booster; nothing is read once for a booster's life. A worker whose first task is the one that loads
 * libgomp (or waits for that load, in XGBoost's class initialiser) started that task before the runtime existed:
 * the worker that loads it applies its share as the load ends, the others at their first XGBoost native call
 * (the agent wraps XGBoostJNI's training natives), so the first round's teams are 1 too (before, they were 2).
 */
class XgboostTest {

    static final String MAIN = "io.threadgov.it.realapps.XgboostApp";
    private static ChildJvm.Result none;
    private static ChildJvm.Result agent;

    static ChildJvm xgboost() throws Exception {
        return RealApps.app("xgboost", MAIN).args("3").timeout(300);
    }

    @BeforeAll
    static void run() throws Exception {
        none = xgboost().run();
        RealApps.ok(none, "xgb_checksum", "omp_teams", "peak_threads");
        agent = xgboost().agent("cores=2").report().run();
        RealApps.ok(agent, "xgb_checksum", "omp_teams", "peak_threads");
    }

    static int[] teams(ChildJvm.Result r) {
        String v = r.value("omp_teams");
        return Arrays.stream(v.substring(1, v.length() - 1).split(",")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void withoutTheAgentEveryTeamTakesMoreThanOneCore() {
        for (int t : teams(none)) {
            assertTrue(t > 1, () -> "the oversubscription the agent removes: " + none);
        }
    }

    /**
     * XGBoost's hist training gives the same bits at any team size (its histograms are built per thread and
     * summed in a fixed order), so the predictions are compared bitwise.
     */
    @Test
    void sameBitsAndTeamsOfTheWorkersShareFromTheFirstRound() throws Exception {
        assertEquals(none.value("xgb_checksum"), agent.value("xgb_checksum"), agent::toString);
        assertEquals("[1,1,1]", agent.value("omp_teams"), agent::toString);
        assertTrue(RealApps.peak(agent) <= RealApps.peak(none), () -> agent + "\n" + none);
        assertTrue(agent.agentLines().isEmpty(), agent.stderr);
    }

    /** An explicit nthread=2 is capped by the worker's OpenMP setting too. */
    @Test
    void anExplicitNthreadIsCappedAtTheWorkersShare() throws Exception {
        ChildJvm.Result r = xgboost().sysprop("app.nthread", "2").agent("cores=2").run();
        RealApps.ok(r, "xgb_checksum", "omp_teams");
        assertEquals(none.value("xgb_checksum"), r.value("xgb_checksum"), r::toString);
        assertEquals("[1,1,1]", r.value("omp_teams"), r::toString);
    }

    /** With libgomp loaded before the pool's first task, every team from the first on is 1. */
    @Test
    void withLibgompLoadedBeforeThePoolEveryTeamIsOne() throws Exception {
        ChildJvm.Result r = xgboost().sysprop("app.loadOnMain", "true").agent("cores=2").run();
        RealApps.ok(r, "xgb_checksum", "omp_teams");
        assertEquals(none.value("xgb_checksum"), r.value("xgb_checksum"), r::toString);
        assertEquals("[1,1,1]", r.value("omp_teams"), r::toString);
    }

    /** The report lists the system's libgomp, per thread, lowered to 1 on the workers. */
    @Test
    void theReportListsLibgompLoweredToOne() throws Exception {
        Map<String, Object> report = agent.report();
        List<Map<String, Object>> omp = RealApps.natives(report, "prefix", "libgomp");
        assertEquals(1, omp.size(), report::toString);
        Map<String, Object> rec = omp.get(0);
        assertEquals("openmp", rec.get("user_api"), rec::toString);
        assertEquals("openmp", rec.get("internal_api"), rec::toString);
        assertEquals("openmp", rec.get("threading_layer"), rec::toString);
        assertEquals("thread", rec.get("scope"), rec::toString);
        assertTrue(((String) rec.get("filepath")).matches("/(usr/)?lib/x86_64-linux-gnu/libgomp\\.so\\.1.*"), rec::toString);
        assertEquals(1L, rec.get("min_set"), rec::toString);
    }
}
