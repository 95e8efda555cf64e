package io.threadgov.it.realapps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Smile 3.1.1 (realapps/smile, {@code SmileApp all}), unmodified, with the JavaCPP OpenBLAS 0.3.26 it loads
 * itself: a fixed pool of 8 fitting Gaussian processes (a parallel stream builds each kernel matrix, LAPACK's
 * Cholesky factors it) and a fixed pool of 4 each training a random forest (Smile's parallel stream of trees
 * inside a pool worker). Run without the agent, with it ({@code cores=2}), and without it at
 * {@code OPENBLAS_NUM_THREADS=1}.
 */
class SmileTest {

    static final String MAIN = "io.threadgov.it.realapps.SmileApp";
    private static ChildJvm.Result none;
    private static ChildJvm.Result single;
    private static ChildJvm.Result agent;

    static ChildJvm smile(String... args) throws Exception {
        return RealApps.app("smile", MAIN).args(args).timeout(300);
    }

    @BeforeAll
    static void run() throws Exception {
        none = smile("all").run();
        RealApps.ok(none, "gp_sums", "forest_accuracy", "peak_threads");
        single = smile("gp").env("OPENBLAS_NUM_THREADS", "1").run();
        RealApps.ok(single, "gp_sums");
        agent = smile("all").agent("cores=2").report().run();
        RealApps.ok(agent, "gp_sums", "forest_accuracy", "peak_threads");
    }

    /**
     * Gaussian processes: OpenBLAS's Cholesky splits its work by the thread count it runs at, and the last bits
     * of its result depend on that count (deterministic for a given count: without the agent, and at
     * OPENBLAS_NUM_THREADS=1, every run gives the same bits). Each fit with the agent ran at 1 thread while the
     * pool's 8 workers were busy, or at 2 when it was the last one busy: each model's predictions are bitwise
     * those of one of the two runs without the agent, and all within 1e-9 (relative) of the ungoverned ones.
     */
    @Test
    void gaussianProcessesGiveTheBitsOfOneThreadOrOfTheUngovernedRun() {
        double[] plain = RealApps.doubles(none, "gp_sums");
        double[] one = RealApps.doubles(single, "gp_sums");
        double[] gov = RealApps.doubles(agent, "gp_sums");
        assertEquals(8, gov.length, agent::toString);
        for (int k = 0; k < gov.length; k++) {
            double g = gov[k];
            int model = k;
            assertTrue(g == plain[k] || g == one[k], () -> "model " + model + ": " + g + " is neither the ungoverned "
                    + plain[model] + " nor the single-threaded " + one[model]);
            assertEquals(plain[k], g, 1e-9 * Math.abs(plain[k]), "model " + k);
        }
    }

    /**
     * Random forests: Smile 3.1.1's forest differs from run to run without the agent too, although every tree has
     * its seed (measured: 4 runs without the agent, accuracies 0.8303-0.8313, each with other predictions; its
     * trees' random draws depend on which threads run them), so the forests compare by test accuracy: within
     * 0.01 of the ungoverned run, and both better than 0.80 (the largest of the three classes is 38 % of the test set).
     */
    @Test
    void randomForestsAreAsAccurate() {
        double plain = Double.parseDouble(none.value("forest_accuracy"));
        double gov = Double.parseDouble(agent.value("forest_accuracy"));
        assertTrue(plain > 0.80, none::toString);
        assertTrue(gov > 0.80, agent::toString);
        assertEquals(plain, gov, 0.01);
    }

    /**
     * The report lists both OpenBLAS libraries JavaCPP extracts from Smile's openblas-0.3.26-1.5.10 jar (with and
     * without LAPACK), as a process-wide pthreads OpenBLAS 0.3.26, lowered to 1 thread (min_set) while the
     * pools' workers computed; and the forests' parallel streams ran whole in their workers at least once.
     */
    @Test
    void theReportListsSmilesOpenBlasLoweredToOneThread() throws Exception {
        Map<String, Object> report = agent.report();
        List<Map<String, Object>> blas = RealApps.natives(report, "internal_api", "openblas");
        assertEquals(2, blas.size(), blas::toString);
        for (Map<String, Object> rec : blas) {
            assertEquals("blas", rec.get("user_api"), rec::toString);
            assertEquals("0.3.26", rec.get("version"), rec::toString);
            assertEquals("pthreads", rec.get("threading_layer"), rec::toString);
            assertEquals("process", rec.get("scope"), rec::toString);
            assertTrue(((String) rec.get("filepath")).contains("openblas-0.3.26-1.5.10-linux-x86_64.jar"), rec::toString);
            assertEquals(1L, rec.get("min_set"), rec::toString);
            assertTrue((Long) rec.get("changes") >= 1, rec::toString);
        }
        assertTrue((Long) report.get("streams_in_caller") >= 1, report::toString);
        assertTrue(agent.agentLines().isEmpty(), agent.stderr);
    }

    /**
     * The pool of fits is not taken for one that waits: its first tasks load Smile's OpenBLAS (JavaCPP extracting
     * its libraries while the other workers wait), which read as waiting (D 0.14, "waits", before 2026-12-07: the
     * fits' parallel streams then split onto the common pool beside the 8 workers, 110 ms a round against 79 with
     * demand off); samples that overlap a library load are dropped, and later rounds' samples decide (computes, or
     * mixed where a sample caught OpenBLAS at 2 threads, its worker waiting for the server thread, or a GC pause).
     */
    @Test
    void thePoolOfFitsIsSeenToComputeDespiteItsFirstTasksLoadingNativeCode() throws Exception {
        ChildJvm.Result r = smile("gp", "3").agent("cores=2").report().run(); // 3 rounds: the first loads
        RealApps.ok(r, "gp_sums");
        Map<String, Object> report = r.report();
        Map<String, Object> pool = ChildJvm.objects(report, "pools").stream()
                .filter(p -> String.valueOf(p.get("creator")).endsWith("SmileApp.gaussianProcesses")).findFirst()
                .orElseThrow(() -> new AssertionError("no pool of fits: " + report));
        assertTrue(List.of("computes", "mixed").contains(pool.get("character")), pool::toString);
        assertTrue((Long) ChildJvm.object(report, "demand").get("load_dropped") >= 1, report::toString);
    }

    @Test
    void peakThreadCountIsNotHigherWithTheAgent() {
        assertTrue(RealApps.peak(agent) <= RealApps.peak(none), () -> "agent " + RealApps.peak(agent) + " > none "
                + RealApps.peak(none) + "\n" + agent + "\n" + none);
    }
}
