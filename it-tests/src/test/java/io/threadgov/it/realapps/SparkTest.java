package io.threadgov.it.realapps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark MLlib 4.2.0 in {@code local[*]} (realapps/spark, {@code SparkApp all}), unmodified, with the JVM options
 * spark-submit adds on Java 17 and Spark on loopback: a multilayer perceptron fit whose task threads multiply
 * blocks with netlib-java, which calls Debian's OpenBLAS (pthreads), and a CrossValidator with
 * {@code setParallelism(4)} (driver threads x task threads x BLAS). Shorter fits than bench/realapps.sh's
 * (12 and 5 L-BFGS iterations). Run without and with the agent ({@code cores=2}).
 */
class SparkTest {

    static final String MAIN = "io.threadgov.it.realapps.SparkApp";
    private static ChildJvm.Result none;
    private static ChildJvm.Result agent;

    static ChildJvm spark() throws Exception {
        return RealApps.app("spark", MAIN).args("all").sysprop("app.mlpIter", "12").sysprop("app.cvIter", "5")
                .env("SPARK_LOCAL_IP", "127.0.0.1").timeout(400);
    }

    @BeforeAll
    static void run() throws Exception {
        none = spark().run();
        RealApps.ok(none, "mlp_accuracy", "cv_metrics", "cv_accuracy", "peak_threads");
        agent = spark().agent("cores=2").report().run();
        RealApps.ok(agent, "mlp_accuracy", "cv_metrics", "cv_accuracy", "peak_threads");
    }

    static Map<String, Double> metrics(ChildJvm.Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String kv : r.value("cv_metrics").split(",")) {
            String[] p = kv.split("=");
            m.put(p[0], Double.parseDouble(p[1]));
        }
        return m;
    }

    /**
     * The same models within a stated tolerance, not bitwise: Spark sums the partitions' gradients in the order
     * their tasks finish (treeAggregate's last fold), and OpenBLAS's dgemm may round differently at another
     * thread count, so the bits may differ from run to run with or without the agent (they were equal in the
     * runs measured here). Accuracies within 0.005, each parameter map's mean F1 within 0.005.
     */
    @Test
    void sameModelsWithinTolerance() {
        double a = Double.parseDouble(none.value("mlp_accuracy"));
        assertTrue(a > 0.6, none::toString);
        assertEquals(a, Double.parseDouble(agent.value("mlp_accuracy")), 0.005);
        assertEquals(Double.parseDouble(none.value("cv_accuracy")), Double.parseDouble(agent.value("cv_accuracy")), 0.005);
        Map<String, Double> m0 = metrics(none);
        Map<String, Double> m1 = metrics(agent);
        assertEquals(m0.keySet(), m1.keySet());
        assertEquals(4, m0.size(), none::toString);
        m0.forEach((k, v) -> assertEquals(v, m1.get(k), 0.005, k));
    }

    /**
     * netlib-java found the native BLAS in both runs, and the report lists it: Debian's OpenBLAS (pthreads),
     * process-wide, lowered to 1 (min_set) while both task threads computed.
     */
    @Test
    void theReportListsDebiansOpenBlasLoweredToOne() throws Exception {
        assertEquals("dev.ludovic.netlib.blas.JNIBLAS", none.value("blas"), none::toString);
        assertEquals("dev.ludovic.netlib.blas.JNIBLAS", agent.value("blas"), agent::toString);
        Map<String, Object> report = agent.report();
        List<Map<String, Object>> blas = RealApps.natives(report, "internal_api", "openblas");
        assertEquals(1, blas.size(), report::toString);
        Map<String, Object> rec = blas.get(0);
        assertTrue(((String) rec.get("filepath")).startsWith("/usr/lib/x86_64-linux-gnu/openblas-pthread/"), rec::toString);
        assertTrue(String.valueOf(rec.get("version")).matches("\\d+\\.\\d+\\.\\d+"), rec::toString);
        assertEquals("pthreads", rec.get("threading_layer"), rec::toString);
        assertEquals("process", rec.get("scope"), rec::toString);
        assertEquals(1L, rec.get("min_set"), rec::toString);
        assertTrue((Long) rec.get("changes") >= 1, rec::toString);
        assertTrue(agent.agentLines().isEmpty(), agent.stderr);
    }

    /**
     * Spark's own pools (adaptive execution's query-stage threads, the block manager's) start threads as its jobs
     * overlap, so its peak of about 290 threads moves by a thread or two from run to run without the agent
     * (measured: 291 and 292): the agent's peak is held to the ungoverned one plus 1 % (3 threads).
     */
    @Test
    void peakThreadCountIsNotHigherWithTheAgent() {
        int limit = RealApps.peak(none) + RealApps.peak(none) / 100;
        assertTrue(RealApps.peak(agent) <= limit, () -> "agent " + RealApps.peak(agent) + " > " + limit + " (none "
                + RealApps.peak(none) + ")\nagent: " + agent.value("peak_thread_names") + "\nnone:  "
                + none.value("peak_thread_names"));
    }
}
