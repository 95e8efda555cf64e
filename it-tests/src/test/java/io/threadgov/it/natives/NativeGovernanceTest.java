package io.threadgov.it.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Native BLAS governed end to end: child JVMs running {@link BlasPoolApp} (an application unaware of
 * the agent) with the real agent jar, real OpenBLAS (JavaCPP's 0.3.28, Debian's 0.3.21 behind netlib).
 * Thread counts are read by the application itself, from inside its workers and from main.
 */
class NativeGovernanceTest {

    private static ChildJvm.Result plain;

    static ChildJvm javacppApp() {
        return app().args("javacpp", "8", "3", "256", "512", "probe");
    }

    /** BlasPoolApp with JavaCPP's OpenBLAS, netlib and JNA on its class path. */
    static ChildJvm app() {
        return ChildJvm.app(BlasPoolApp.class).javacpp().netlib().jna();
    }

    @BeforeAll
    static void withoutAgent() throws Exception {
        plain = javacppApp().run();
        assertEquals(0, plain.exit, plain::toString);
    }

    @Test
    void poolWorkersRunAtTheirShareAndMainAtTheBudget() throws Exception {
        ChildJvm.Result r = javacppApp().agent().sysprop("threadgov.cores", "2").report().run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("[1]", r.value("worker_threads"), r::toString);
        assertEquals("2", r.value("main_threads"), r::toString);
        // the workers were uncounted as their tasks completed, before main's get() returned: a main thread
        // that calls BLAS right after the batch gets the budget (not 1 until the workers reach getTask)
        assertEquals("[2]", r.value("after_batch_threads"), r::toString);
        assertEquals(plain.value("checksum"), r.value("checksum"), "same results as without the agent");
        assertTrue(r.agentLines().isEmpty(), r.stderr);

        List<Map<String, Object>> nat = natives(r);
        List<Map<String, Object>> ob = nat.stream().filter(m -> "0.3.28".equals(m.get("version")))
                .collect(Collectors.toList());
        assertEquals(1, ob.size(), nat::toString);
        Map<String, Object> rec = ob.get(0);
        assertEquals("blas", rec.get("user_api"));
        assertEquals("openblas", rec.get("internal_api"));
        assertEquals("libopenblas", rec.get("prefix"));
        assertEquals("pthreads", rec.get("threading_layer"));
        assertEquals("process", rec.get("scope"));
        assertEquals(2L, rec.get("num_threads"), "at exit the main thread has the budget");
        assertTrue(((String) rec.get("filepath")).startsWith("/"), rec::toString);
    }

    /**
     * JavaCPP's first load runs Java code (and the next load) from inside {@code System.load}, holding the
     * JDK's native-library lock, while threadgov-init may be finishing the agent's start, which loads JNA's
     * library under that same lock. Here threadgov-init is held inside the start (test-only
     * {@code fault=slow-start}) when the application loads OpenBLAS: the load must neither deadlock nor be
     * missed. Before the fix this child hung for good, every time. JavaCPP's two OpenBLAS copies are both
     * mapped before the native layer starts, as in the kernels: JNA's first initialisation then re-enters
     * the native layer from its own library load, which once failed (JNA half-initialised).
     */
    @Test
    void aBlasLoadDuringTheAgentsDeferredStartNeitherDeadlocksNorIsMissed() throws Exception {
        ChildJvm.Result r = javacppApp().agent("cores=2,fault=slow-start").sysprop("app.startDelayMs", "400")
                .sysprop("app.bothCopies", "true").report().timeout(60).run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(plain.value("checksum"), r.value("checksum"), "same results as without the agent");
        assertEquals("[1]", r.value("worker_threads"), "governed although its load raced the start: " + r);
        assertEquals("2", r.value("main_threads"), r::toString);
        // both copies were mapped before the native layer started, so JNA's first initialisation met them:
        // its own library load re-entered the scan, which once found JNA half-initialised and gave up
        assertTrue(r.agentLines().isEmpty(), r.stderr);
        List<Map<String, Object>> nat = natives(r);
        assertEquals(2, nat.stream().filter(m -> "0.3.28".equals(m.get("version"))).count(), nat::toString);
    }

    /**
     * A cached pool grows with demand: a lone request running BLAS there is the whole demand and gets the
     * budget, as the main thread does (its worker's share of the pool's unbounded size would be 1).
     */
    @Test
    void aLoneTaskOfACachedPoolRunsAtTheBudget() throws Exception {
        ChildJvm.Result one = app().args("javacpp", "1", "3", "256", "512", "probe").agent("cores=2")
                .sysprop("app.cachedPool", "true").run();
        assertEquals(0, one.exit, one::toString);
        assertEquals("[2]", one.value("worker_threads"), one::toString);
    }

    /**
     * A worker waiting in Future.get() needs no core: it is not counted busy for the process-wide split while it
     * waits, so main's product while every worker of a pool of 4 waits for a downstream call runs at the whole
     * budget (with demand off the four waiting workers hold it at 1).
     */
    @Test
    void workersOfAPoolThatWaitsLeaveTheBudgetToTheThreadsThatCompute() throws Exception {
        ChildJvm.Result off = waitingPoolApp().agent("cores=2,demand=off").run();
        assertEquals(0, off.exit, off::toString);
        assertEquals("1", off.value("main_threads_while_pool_waits"), "four busy workers hold the budget: " + off);
        ChildJvm.Result r = waitingPoolApp().agent("cores=2").run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(off.value("checksum"), r.value("checksum"));
        assertEquals("2", r.value("main_threads_while_pool_waits"), r::toString);
    }

    /** WaitingPoolBlasApp with JavaCPP's OpenBLAS, netlib and JNA on its class path. */
    static ChildJvm waitingPoolApp() {
        return ChildJvm.app(WaitingPoolBlasApp.class).javacpp().netlib().jna();
    }

    @Test
    void withoutTheAgentWorkersOversubscribe() {
        assertNotEquals("[1]", plain.value("worker_threads"), "the problem the agent solves: " + plain);
    }

    @Test
    void nativeOffLeavesOpenBlasAlone() throws Exception {
        ChildJvm.Result r = javacppApp().agent("native=off").sysprop("threadgov.cores", "2").report().run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(plain.value("worker_threads"), r.value("worker_threads"), r::toString);
        assertEquals(plain.value("checksum"), r.value("checksum"));
        assertTrue(natives(r).isEmpty());
    }

    @Test
    void brokenJnaIsOneLineAndTheAppRunsOn() throws Exception {
        ChildJvm.Result r = javacppApp().agent().sysprop("threadgov.cores", "2").sysprop("threadgov.fault", "jna").run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(plain.value("worker_threads"), r.value("worker_threads"), r::toString);
        assertEquals(plain.value("checksum"), r.value("checksum"));
        List<String> lines = r.agentLines();
        assertEquals(1, lines.size(), r.stderr);
        assertTrue(lines.get(0).contains("native jna"), lines::toString);
    }

    @Test
    void netlibsDebianOpenBlasIsFoundThoughNoJavaCodeLoadedIt() throws Exception {
        ChildJvm.Result r = app().args("netlib", "16", "2", "256", "512").agent()
                .sysprop("threadgov.cores", "2").sysprop("threadgov.log", "debug").report().run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("dev.ludovic.netlib.blas.JNIBLAS", r.value("netlib"), r::toString);
        List<Map<String, Object>> ob = natives(r).stream()
                .filter(m -> "openblas".equals(m.get("internal_api"))).collect(Collectors.toList());
        assertEquals(1, ob.size(), r::toString);
        String path = (String) ob.get(0).get("filepath");
        assertTrue(path.startsWith("/usr/lib/x86_64-linux-gnu/openblas-"), path);
        assertTrue(r.stderr.contains(path + " process threads 2 -> 1 on pool-"), r::toString);
    }

    @Test
    void publicLimitApiReachesTheAgentsNativeLayerAcrossClassLoaders() throws Exception {
        ChildJvm.Result r = limitApp().agent().sysprop("threadgov.cores", "2").run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("1", r.value("runtimes"), r::toString);
        assertEquals("2", r.value("before"), r::toString);
        assertEquals("1", r.value("inside"), r::toString);
        assertEquals("2", r.value("after"), r::toString);
    }

    /**
     * The application loads OpenBLAS and asks for its runtimes while threadgov-init has installed the
     * native layer but not yet scanned (test-only {@code fault=slow-scan} holds it there): the call waits
     * for the start, so the library just loaded is listed and limited. Before, the call read the layer's
     * empty list (runtimes=0, the limit changed nothing): a CI run met that window by chance.
     */
    @Test
    void publicLimitApiCalledDuringTheAgentsFirstScanSeesTheLibraryJustLoaded() throws Exception {
        ChildJvm.Result r = limitApp().agent("cores=2,fault=slow-scan").sysprop("app.startDelayMs", "400").timeout(60).run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("1", r.value("runtimes"), r::toString);
        assertEquals("1", r.value("inside"), r::toString);
        assertEquals("2", r.value("after"), r::toString);
    }

    /** Temurin 25 ({@link ChildJvm#java25()}): a failure where CI is set and it is missing, else skipped. */
    @Test
    void ffmLoadsAreSeenOnJdk25() throws Exception {
        ChildJvm.Result r = ChildJvm.app(LimitApp.class).java(ChildJvm.java25())
                .jvmArg("--enable-native-access=ALL-UNNAMED").args("ffm")
                .agent().sysprop("threadgov.cores", "2").sysprop("threadgov.log", "info").run();
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.value("runtimes").contains("prefix=libgomp"), r::toString);
        assertTrue(r.stderr.contains("native runtime {user_api=openmp"), r::toString);
        assertEquals("true", r.value("limited"), r::toString);
    }

    /** LimitApp with JavaCPP's OpenBLAS and the application's own JNA on its class path. */
    static ChildJvm limitApp() {
        return ChildJvm.app(LimitApp.class).javacpp().jna();
    }

    /** The native runtimes in the report of {@code r}. */
    static List<Map<String, Object>> natives(ChildJvm.Result r) throws Exception {
        return ChildJvm.objects(r.report(), "native");
    }
}
