package io.threadgov.it.realapps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark MLlib 4.2.0 on Spark's own standalone cluster manager ({@code local-cluster[2,1,512]}: a Master and two
 * Workers in the driver JVM, each Worker starting an executor JVM of one core), the agent given to the executors
 * only, as a user gives it, through {@code spark.executor.extraJavaOptions} with {@code report=DIR/exec-%p.json}.
 * SparkApp's MLP fit on 2 partitions, one per executor: each executor's task thread calls netlib, which calls
 * Debian's OpenBLAS. Spark (since 3.4, SPARK-41188) puts {@code OMP_NUM_THREADS=spark.task.cpus} into every
 * executor's environment, which that OpenBLAS reads: at Spark's default each executor's BLAS already runs at one
 * thread and there is nothing to govern. The executors here get {@code spark.executorEnv.OMP_NUM_THREADS=2}, as a
 * user who raises it gives them (and as Spark before 3.4 left them): each OpenBLAS starts at both cores, 4 threads
 * computing on 2. Three runs: executors without the agent, with it in jvm scope, with it in host scope (a private
 * table).
 */
class SparkClusterTest {

    static final String MAIN = "io.threadgov.it.realapps.SparkApp";
    static final String EXECUTOR_JVM = "-XX:+UseSerialGC -XX:-UseDynamicNumberOfCompilerThreads";
    private static Run none;
    private static Run jvm;
    private static Run host;
    private static Path table;

    /** A cluster run: the driver's result and the directory its executors' reports went to. */
    record Run(ChildJvm.Result result, Path reports) {
        List<Long> executors() {
            return Arrays.stream(result.value("executors").split(",")).map(Long::parseLong).toList();
        }

        /** exec-PID.json of each executor, parsed, by pid. */
        Map<Long, Map<String, Object>> reportsByPid() throws IOException {
            Map<Long, Map<String, Object>> m = new java.util.TreeMap<>();
            for (long pid : executors()) {
                m.put(pid, ChildJvm.json(reports.resolve("exec-" + pid + ".json")));
            }
            return m;
        }
    }

    /**
     * The driver with a Spark home of its own (the Workers build each executor's command from SPARK_HOME's jars/,
     * empty here, and SPARK_SCALA_VERSION, as Spark's scripts set them; the class path reaches the executors as
     * {@code spark.executor.extraClassPath}) and the executors' settings as {@code spark.*} system properties, as
     * spark-submit passes them. {@code agent}: the executors' agent arguments, null for none.
     */
    static Run cluster(String name, String agent) throws Exception {
        Path home = ChildJvm.workDir("spark-home");
        Files.createDirectories(home.resolve("jars"));
        Path reports = ChildJvm.workDir("spark-reports");
        String options = EXECUTOR_JVM + (agent == null ? ""
                : " -javaagent:" + ChildJvm.AGENT_JAR + "=" + agent + ",report=" + reports.resolve("exec-%p.json"));
        ChildJvm.Result r = RealApps.app("spark", MAIN).name(name).args("mlp")
                .sysprop("app.master", "local-cluster[2,1,512]").sysprop("app.partitions", "2")
                .sysprop("app.mlpIter", "12")
                .sysprop("spark.executor.memory", "512m")
                .sysprop("spark.executor.extraClassPath", RealApps.classpath("spark"))
                .sysprop("spark.executor.extraJavaOptions", options)
                .sysprop("spark.executorEnv.OMP_NUM_THREADS", "2")
                .env("SPARK_HOME", home.toString()).env("SPARK_SCALA_VERSION", "2.13")
                .env("SPARK_LOCAL_IP", "127.0.0.1").timeout(240).run();
        RealApps.ok(r, "mlp_accuracy", "mlp_checksum", "executors", "executor_peak_threads");
        return new Run(r, reports);
    }

    @BeforeAll
    static void run() throws Exception {
        table = ChildJvm.workDir("spark-host").resolve("table");
        none = cluster("spark-cluster-none", null);
        jvm = cluster("spark-cluster-jvm", "");
        host = cluster("spark-cluster-host", "scope=host,host_table=" + table);
    }

    /**
     * Bitwise the same model in every configuration: each partition's rows are one contiguous slice, in their
     * order (no shuffle), and the driver adds the two partitions' gradients, which gives the same bits in either
     * order (a + b == b + a); OpenBLAS's dgemm splits its output, not its sums, between threads.
     */
    @Test
    void theSameModelBitwiseInEveryConfiguration() {
        assertTrue(Double.parseDouble(none.result.value("mlp_accuracy")) > 0.6, none.result::toString);
        for (Run r : List.of(jvm, host)) {
            assertEquals(none.result.value("mlp_checksum"), r.result.value("mlp_checksum"), r.result::toString);
            assertEquals(none.result.value("mlp_accuracy"), r.result.value("mlp_accuracy"));
        }
    }

    /**
     * Two executor JVMs, started by the Workers (the driver's children, not the driver), and with the agent one
     * report per executor, named by its pid ({@code %p}), and no other.
     */
    @Test
    void eachExecutorJvmWritesItsOwnReport() throws Exception {
        for (Run r : List.of(none, jvm, host)) {
            List<Long> pids = r.executors();
            assertEquals(2, pids.size(), r.result::toString);
            assertTrue(!pids.contains(r.result.pid), "executors are JVMs of their own: " + pids);
        }
        assertEquals(Set.of(), files(none.reports));
        for (Run r : List.of(jvm, host)) {
            Set<String> expected = r.executors().stream().map(p -> "exec-" + p + ".json")
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, files(r.reports), r.result::toString);
        }
    }

    /**
     * jvm scope: each executor governs its own JVM (its task launch pool, {@code Executor.<init>}'s, is listed) as if
     * it owned the host, and found the OpenBLAS its task thread loaded; no host table.
     */
    @Test
    void inJvmScopeEachExecutorIsGovernedAlone() throws Exception {
        for (Map.Entry<Long, Map<String, Object>> e : jvm.reportsByPid().entrySet()) {
            Map<String, Object> report = e.getValue();
            String where = e.getKey() + ": " + report;
            assertEquals("jvm", report.get("scope"), where);
            assertTrue(!report.containsKey("host"), where);
            assertEquals(2L, report.get("budget"), where);
            assertTrue(ChildJvm.objects(report, "pools").stream()
                    .anyMatch(p -> "org.apache.spark.executor.Executor.<init>".equals(p.get("creator"))), where);
            openBlas(report);
        }
    }

    /**
     * host scope: both executors joined the private table and each saw the other's demand (its grant moved from the
     * host's 2 cores, which a JVM alone in the table keeps) and lowered its OpenBLAS from 2 threads to 1.
     */
    @Test
    void inHostScopeTheExecutorsShareTheHostAndRunOpenBlasAtOne() throws Exception {
        for (Map.Entry<Long, Map<String, Object>> e : host.reportsByPid().entrySet()) {
            Map<String, Object> report = e.getValue();
            String where = e.getKey() + ": " + report;
            assertEquals("host", report.get("scope"), where);
            assertEquals("host", report.get("budget_source"), where);
            Map<String, Object> h = ChildJvm.object(report, "host");
            assertEquals(table.toString(), h.get("table"), where);
            assertEquals(2L, h.get("cores"), where);
            assertTrue((Long) h.get("changes") >= 1, "the grant moved: " + where);
            Map<String, Object> blas = openBlas(report);
            assertEquals(1L, blas.get("min_set"), where);
            assertTrue((Long) blas.get("changes") >= 1, where);
        }
    }

    /**
     * No executor has more threads at its peak with the agent than without, counting the agent's own
     * ({@code threadgov-*}, such as host scope's tick) apart: Spark's pools move an executor's peak by a few threads
     * from run to run (measured 131-136 with or without the agent), so at most 3 above the highest peak without it.
     */
    @Test
    void executorPeakThreadsAreNotHigherWithTheAgent() {
        int base = Arrays.stream(none.result.value("executor_peak_threads").split(",")).mapToInt(Integer::parseInt)
                .max().orElseThrow();
        for (Run r : List.of(jvm, host)) {
            for (long pid : r.executors()) {
                String names = r.result.value("executor_peak_names_" + pid);
                int own = threadgovThreads(names);
                int peak = Integer.parseInt(r.result.value("executor_peak_threads").split(",")[r.executors().indexOf(pid)]);
                assertTrue(peak - own <= base + 3, () -> "executor " + pid + ": " + peak + " threads, " + own
                        + " of them the agent's, against " + base + " without it\n" + names + "\nnone: "
                        + none.result.values());
            }
        }
    }

    /** The threads named threadgov-* in {@code name*count,...}. */
    private static int threadgovThreads(String names) {
        assertTrue(names != null && !names.isEmpty(), "no names at the peak");
        return Arrays.stream(names.split(",")).filter(n -> n.startsWith("threadgov"))
                .mapToInt(n -> Integer.parseInt(n.substring(n.lastIndexOf('*') + 1))).sum();
    }

    private static Map<String, Object> openBlas(Map<String, Object> report) {
        List<Map<String, Object>> blas = RealApps.natives(report, "internal_api", "openblas");
        assertEquals(1, blas.size(), report::toString);
        Map<String, Object> rec = blas.get(0);
        assertTrue(((String) rec.get("filepath")).startsWith("/usr/lib/x86_64-linux-gnu/openblas-pthread/"), rec::toString);
        return rec;
    }

    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
