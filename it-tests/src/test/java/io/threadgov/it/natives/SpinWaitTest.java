package io.threadgov.it.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Spin-wait governance (issue 22, item 2): before the first library that is or brings an OpenMP or BLAS runtime
 * loads, the agent sets how long each runtime's idle threads spin (GOMP_SPINCOUNT, KMP_BLOCKTIME,
 * OPENBLAS_THREAD_TIMEOUT) in the C environment, never over a value the user set, and leaves the OpenMP ones to the
 * user's OMP_WAIT_POLICY; the report's {@code native_environment} says what stands and who set it. What the real
 * runtimes read is checked from the runtimes themselves: libgomp prints its settings at initialisation under
 * {@code OMP_DISPLAY_ENV=verbose}, LLVM's libomp answers {@code kmp_get_blocktime()}. The library that brings libgomp
 * is the bundled kernels' OpenMP JNI library, whose file name names no runtime: found by its ELF dependencies.
 */
class SpinWaitTest {

    static final String GOMP_BY_AGENT = "10000";
    static final String KMP_BY_AGENT = "1";

    static ChildJvm app(String... args) {
        return ChildJvm.app(SpinWaitApp.class).classpath(ChildJvm.KERNELS_JAR.toString()).jna()
                .env("OMP_DISPLAY_ENV", "verbose").args(args);
    }

    static Map<String, Map<String, Object>> variables(ChildJvm.Result r) throws Exception {
        Map<String, Object> env = ChildJvm.object(r.report(), "native_environment");
        return ChildJvm.objects(env, "variables").stream()
                .collect(Collectors.toMap(v -> (String) v.get("name"), v -> v));
    }

    /** libgomp's own line for the spin count it read, as OMP_DISPLAY_ENV=verbose prints it. */
    static String gompSays(String value) {
        return "GOMP_SPINCOUNT = '" + value + "'";
    }

    @Test
    void aLibraryThatNeedsLibgompLoadsWithTheAgentsSpinCountAndTheReportSaysSo() throws Exception {
        ChildJvm.Result none = app("kernel").run();
        assertEquals("same", none.value("kernel"), none::toString);
        assertTrue(none.stderr.contains(gompSays("300000")), none.stderr); // libgomp's default, without the agent

        ChildJvm.Result r = app("kernel").agent("cores=2").report().run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("same", r.value("kernel"), r::toString);
        assertTrue(r.stderr.contains(gompSays(GOMP_BY_AGENT)), r.stderr);
        Map<String, Object> env = ChildJvm.object(r.report(), "native_environment");
        assertTrue(String.valueOf(env.get("before")).contains("threadgov-omp-kernel"), env::toString);
        assertEquals(List.of(), env.get("late"), env::toString);
        Map<String, Map<String, Object>> v = variables(r);
        assertEquals(GOMP_BY_AGENT, v.get("GOMP_SPINCOUNT").get("value"), v::toString);
        assertEquals("threadgov", v.get("GOMP_SPINCOUNT").get("set_by"), v::toString);
        assertEquals("20", v.get("OPENBLAS_THREAD_TIMEOUT").get("value"), v::toString);
        assertEquals(KMP_BY_AGENT, v.get("KMP_BLOCKTIME").get("value"), v::toString);
    }

    @Test
    void libompReadsTheAgentsBlockTime() throws Exception {
        String omp = OpenMpRuntimesTest.need(OpenMpRuntimesTest.LIBOMP, "libomp5");
        ChildJvm.Result none = app(omp).run();
        assertEquals("200", none.value("blocktime_libomp"), none::toString); // LLVM's default, without the agent
        ChildJvm.Result r = app(omp).agent("cores=2").report().run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(KMP_BY_AGENT, r.value("blocktime_libomp"), r::toString);
        assertEquals("threadgov", variables(r).get("KMP_BLOCKTIME").get("set_by"), r::toString);
    }

    @Test
    void valuesTheUserSetStandAndAreReportedAsTheirs() throws Exception {
        String omp = OpenMpRuntimesTest.need(OpenMpRuntimesTest.LIBOMP, "libomp5");
        ChildJvm.Result r = app("kernel", omp).env("GOMP_SPINCOUNT", "5000").env("KMP_BLOCKTIME", "7")
                .env("OPENBLAS_THREAD_TIMEOUT", "24").agent("cores=2").report().run();
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.stderr.contains(gompSays("5000")), r.stderr);
        assertEquals("7", r.value("blocktime_libomp"), r::toString);
        Map<String, Map<String, Object>> v = variables(r);
        assertEquals("5000", v.get("GOMP_SPINCOUNT").get("value"), v::toString);
        assertEquals("7", v.get("KMP_BLOCKTIME").get("value"), v::toString);
        assertEquals("24", v.get("OPENBLAS_THREAD_TIMEOUT").get("value"), v::toString);
        for (Map<String, Object> one : v.values()) {
            assertEquals("user", one.get("set_by"), v::toString);
        }
    }

    @Test
    void theUsersOmpWaitPolicyLeavesTheOpenMpSpinsToTheRuntimes() throws Exception {
        String omp = OpenMpRuntimesTest.need(OpenMpRuntimesTest.LIBOMP, "libomp5");
        ChildJvm.Result r = app("kernel", omp).env("OMP_WAIT_POLICY", "active").agent("cores=2").report().run();
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.stderr.contains(gompSays("30000000000")), r.stderr); // libgomp's own for active
        assertEquals(String.valueOf(Integer.MAX_VALUE), r.value("blocktime_libomp"), r::toString); // active: forever
        Map<String, Map<String, Object>> v = variables(r);
        for (String name : List.of("GOMP_SPINCOUNT", "KMP_BLOCKTIME")) {
            assertNull(v.get(name).get("value"), v::toString);
            assertEquals("omp_wait_policy", v.get(name).get("set_by"), v::toString);
        }
        assertEquals("active", v.get("OMP_WAIT_POLICY").get("value"), v::toString);
        assertEquals("threadgov", v.get("OPENBLAS_THREAD_TIMEOUT").get("set_by"), v::toString);
    }

    @Test
    void infoPidShowsWhatStandsAndWhoSetIt() throws Exception {
        try (ChildJvm.Running c = app("kernel").env("KMP_BLOCKTIME", "7").sysprop("app.wait", "true")
                .agent("cores=2").start()) {
            c.awaitLine("waiting");
            ChildJvm.Result info = ChildJvm.jar(ChildJvm.AGENT_JAR).name("cli-info").args("info", Long.toString(c.pid()))
                    .run();
            assertEquals(0, info.exit, info::toString);
            String line = info.stdout.lines().filter(l -> l.startsWith("native environment")).findFirst()
                    .orElseThrow(() -> new AssertionError("no native environment line: " + info.stdout));
            assertTrue(line.contains("GOMP_SPINCOUNT=" + GOMP_BY_AGENT + " (threadgov)"), line);
            assertTrue(line.contains("KMP_BLOCKTIME=7 (user)"), line);
            assertTrue(line.contains("before loading ") && line.contains("threadgov-omp-kernel"), line);
            c.send("end");
            assertEquals(0, c.await().exit);
        }
    }

    @Test
    void observeModeSetsNothing() throws Exception {
        ChildJvm.Result r = app("kernel").agent("cores=2,mode=observe").report().run();
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.stderr.contains(gompSays("300000")), r.stderr);
        assertNull(r.report().get("native_environment"), r::toString);
    }
}
