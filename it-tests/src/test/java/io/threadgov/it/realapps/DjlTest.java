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
 * DJL 0.36 with the PyTorch engine, offline ({@code -Dai.djl.offline=true}; libtorch 2.7.1 CPU from
 * pytorch-native-cpu's jar, extracted by DJL to its cache, nothing downloaded): realapps/djl's {@code DjlApp},
 * a fixed pool of 8 running 8 requests of 8 dense layers (128 x 1024 by 1024 x 1024) per round, 3 rounds.
 * libtorch runs its operators in OpenMP teams of the libgomp it ships as {@code libgomp-98b21ff3.so.1}; each
 * request measures its team. Run without the agent, at {@code OMP_NUM_THREADS=1}, and with the agent
 * ({@code cores=2}).
 */
class DjlTest {

    static final String MAIN = "io.threadgov.it.realapps.DjlApp";
    private static ChildJvm.Result none;
    private static ChildJvm.Result single;
    private static ChildJvm.Result agent;

    static ChildJvm djl() throws Exception {
        return RealApps.app("djl", MAIN).sysprop("ai.djl.offline", "true").args("3", "8", "8", "1024", "8")
                .timeout(300);
    }

    @BeforeAll
    static void run() throws Exception {
        none = djl().run();
        RealApps.ok(none, "djl_sums", "omp_teams", "peak_threads");
        single = djl().env("OMP_NUM_THREADS", "1").run();
        RealApps.ok(single, "djl_sums");
        agent = djl().agent("cores=2").report().run();
        RealApps.ok(agent, "djl_sums", "omp_teams", "peak_threads");
    }

    static int[] teams(ChildJvm.Result r) {
        String v = r.value("omp_teams");
        return Arrays.stream(v.substring(1, v.length() - 1).split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /**
     * Without the agent libtorch's teams take more than one core (in some round: a round's requests may each
     * find the other core busy); with it every request's team is 1 (libtorch is loaded on main, before the
     * pool), main keeps the budget for libtorch's own count, and the peak thread count is not higher.
     */
    @Test
    void teamsOfOneWithTheAgent() {
        assertTrue(Arrays.stream(teams(none)).max().getAsInt() > 1, none::toString);
        assertEquals("[1,1,1]", agent.value("omp_teams"), agent::toString);
        assertEquals("2", agent.value("torch_threads"), agent::toString);
        assertTrue(RealApps.peak(agent) <= RealApps.peak(none), () -> agent + "\n" + none);
        assertTrue(agent.agentLines().isEmpty(), agent.stderr);
    }

    /**
     * libtorch's matrix products round differently at 1 and 2 threads (each count deterministic: the runs
     * without the agent, and at OMP_NUM_THREADS=1, repeat their bits), so each request's output sum is bitwise
     * that of one of the two runs without the agent, and within 1e-4 of the ungoverned one (sums of 128 x 1024
     * values of tanh, of magnitude 0.01 to 10, in float).
     */
    @Test
    void resultsAreThoseOfOneThreadOrOfTheUngovernedRun() {
        double[] plain = RealApps.doubles(none, "djl_sums");
        double[] one = RealApps.doubles(single, "djl_sums");
        double[] gov = RealApps.doubles(agent, "djl_sums");
        assertEquals(8, gov.length, agent::toString);
        for (int k = 0; k < gov.length; k++) {
            double g = gov[k];
            int q = k;
            assertTrue(g == plain[k] || g == one[k], () -> "request " + q + ": " + g + " is neither the ungoverned "
                    + plain[q] + " nor the single-threaded " + one[q]);
            assertEquals(plain[k], g, 1e-4, "request " + k);
        }
    }

    /** libtorch's renamed libgomp is identified (by its symbols), per thread, lowered to 1. */
    @Test
    void theReportListsLibtorchsOwnLibgomp() throws Exception {
        Map<String, Object> report = agent.report();
        List<Map<String, Object>> omp = RealApps.natives(report, "internal_api", "openmp");
        assertEquals(1, omp.size(), report::toString);
        Map<String, Object> rec = omp.get(0);
        assertTrue(((String) rec.get("filepath")).matches(".*/pytorch/[^/]+/libgomp-[0-9a-f]+\\.so\\.1"), rec::toString);
        assertEquals("libgomp", rec.get("prefix"), rec::toString);
        assertEquals("thread", rec.get("scope"), rec::toString);
        assertEquals(1L, rec.get("min_set"), rec::toString);
    }

    /**
     * The system's libgomp loaded beside libtorch's copy (as an application with another OpenMP JNI library,
     * XGBoost4J's, has them): two OpenMP runtimes, one warning line naming both, other_openmp in each record,
     * and the requests' teams still 1 (the agent sets both).
     */
    @Test
    void theSystemsLibgompBesideLibtorchsIsOneWarning() throws Exception {
        String system = "/usr/lib/x86_64-linux-gnu/libgomp.so.1";
        ChildJvm.Result r = djl().sysprop("app.alsoLoad", system).agent("cores=2").report().run();
        RealApps.ok(r, "djl_sums", "omp_teams");
        assertEquals("[1,1,1]", r.value("omp_teams"), r::toString);
        List<String> lines = r.agentLines();
        assertEquals(1, lines.size(), r.stderr);
        assertTrue(lines.get(0).contains("2 OpenMP runtimes are loaded in this process"), lines::toString);
        List<Map<String, Object>> omp = RealApps.natives(r.report(), "internal_api", "openmp");
        assertEquals(2, omp.size(), omp::toString);
        for (Map<String, Object> rec : omp) {
            assertTrue(lines.get(0).contains((String) rec.get("filepath")), () -> rec + " not in " + lines);
            assertEquals(1, ((List<?>) rec.get("other_openmp")).size(), rec::toString);
        }
    }
}
