package io.threadgov.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.threadgov.it.ChildJvm;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #21, end to end: outer parallelism the JDK does not pool (Tomcat's and Jetty's own pools, Netty's event
 * loops, Kotlin's {@code Dispatchers.Default}, plain threads) calling BLAS at once is governed. Each case runs the
 * real library in a child JVM without the agent and with it ({@code cores=2}, so the expectations hold on any
 * machine), the servers loaded from this JVM over 127.0.0.1; both must answer alike, and the agent's report must
 * show that it saw the concurrent callers and ran OpenBLAS at one thread under them, while a lone caller keeps the
 * whole budget.
 *
 * <p>No timing is asserted (bench/servers.sh measures none / agent / {@code OPENBLAS_NUM_THREADS=1}). The load is
 * bounded: the run without the agent is the slow one (Tomcat's 16 callers of a 2-thread OpenBLAS on 2 cores).
 */
class ServersTest {

    /**
     * Requests per server run (the benchmark: 400; without the agent Tomcat takes about 0.1 s each on 2 cores)
     * and clients sending them at once.
     */
    static final int REQUESTS = 100;
    static final int CLIENTS = 16;
    static final int BUDGET = 2;

    /** A server run: what the child did and the answers it gave. */
    private static final class Served {
        final ChildJvm.Result result;
        final Load.Answers answers;

        Served(ChildJvm.Result result, Load.Answers answers) {
            this.result = result;
            this.answers = answers;
        }
    }

    /** The jars of the servers and of Kotlin (with what they need), for the children's class paths. */
    static boolean serverJar(String entry) {
        String e = entry.replace('\\', '/');
        return e.contains("/org/apache/tomcat/") || e.contains("/org/eclipse/jetty/") || e.contains("/io/netty/")
                || e.contains("/org/slf4j/") || e.contains("/org/jetbrains/");
    }

    /** BlasServerApp of {@code kind} with JavaCPP's OpenBLAS and the servers on its class path. */
    static ChildJvm server(String kind) {
        return ChildJvm.app(BlasServerApp.class).name("BlasServerApp-" + kind).javacpp()
                .classpathOf(ServersTest::serverJar).args(kind).timeout(120);
    }

    /** BlasThreadsApp with {@code args}, JavaCPP's OpenBLAS and Kotlin on its class path. */
    static ChildJvm threads(String... args) {
        return ChildJvm.app(BlasThreadsApp.class).name("BlasThreadsApp-" + args[0]).javacpp()
                .classpathOf(ServersTest::serverJar).args(args).timeout(120);
    }

    /**
     * Starts the server, sends it {@link #REQUESTS} requests from {@code clients} clients at once, closes its stdin
     * (its end) and waits for it.
     */
    private static Served serve(ChildJvm server, int clients) throws Exception {
        try (ChildJvm.Running s = server.start()) {
            int port = Integer.parseInt(s.awaitLine("PORT ").substring("PORT ".length()).trim());
            Load.Answers answers;
            try {
                answers = Load.run(port, REQUESTS, clients, 0);
            } catch (Exception e) {
                throw new AssertionError("load on " + s.dir + " failed: " + e + "\n--- stdout\n" + s.stdoutSoFar()
                        + "\n--- stderr\n" + s.stderrSoFar(), e);
            }
            ChildJvm.Result r = s.await();
            assertEquals(0, r.exit, r::toString);
            assertEquals(String.valueOf(REQUESTS), r.value("requests"), r::toString);
            return new Served(r, answers);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tomcat", "jetty", "netty"})
    void aServerUnderConcurrentLoadAnswersAlikeAndRunsBlasAtOneThreadPerCaller(String kind) throws Exception {
        Served none = serve(server(kind), CLIENTS);
        Served agent = serve(server(kind).agent("cores=" + BUDGET).report(), CLIENTS);
        assertEquals(REQUESTS, agent.answers.answers.size());
        assertEquals(none.answers.answers, agent.answers.answers, "the same answer to every seed");
        assertEquals(none.result.value("pool_class"), agent.result.value("pool_class"), agent.result::toString);
        assertConcurrent(none.result);
        assertConcurrent(agent.result);
        Map<String, Object> report = governedUnderConcurrentLoad(agent.result, REQUESTS);
        assertForeignPool(report, kind, agent.result);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain", "kotlin"})
    void threadsCallingBlasAtOnceComputeAlikeAndRunItAtOneThreadPerCaller(String kind) throws Exception {
        String[] args = kind.equals("plain") ? new String[] {"plain", "8", "15", "2"} : new String[] {"kotlin", "64", "2"};
        long products = kind.equals("plain") ? 8 * 15 * 2 : 64 * 2;
        ChildJvm.Result none = threads(args).run();
        assertEquals(0, none.exit, none::toString);
        ChildJvm.Result agent = threads(args).agent("cores=" + BUDGET).report().run();
        assertEquals(0, agent.exit, agent::toString);
        assertNotNull(none.value("checksum"), none::toString);
        assertEquals(none.value("checksum"), agent.value("checksum"), "the same products: " + agent);
        assertConcurrent(none);
        assertConcurrent(agent);
        Map<String, Object> report = governedUnderConcurrentLoad(agent, products);
        if (kind.equals("kotlin")) {
            assertForeignPool(report, kind, agent);
        } else {
            assertTrue(ChildJvm.objects(report, "foreign_pools").isEmpty(), "plain threads are no pool: " + report);
        }
    }

    /** Main alone calling BLAS keeps the whole budget: the agent never lowers OpenBLAS under it. */
    @Test
    void aLoneCallerKeepsTheWholeBudget() throws Exception {
        ChildJvm.Result none = threads("lone", "60", "2").run();
        assertEquals(0, none.exit, none::toString);
        ChildJvm.Result agent = threads("lone", "60", "2").agent("cores=" + BUDGET).report().run();
        assertEquals(0, agent.exit, agent::toString);
        assertNotNull(none.value("checksum"), none::toString);
        assertEquals(none.value("checksum"), agent.value("checksum"), "the same products: " + agent);
        assertEquals("1", agent.value("peak_in_gemm"), agent::toString);
        Map<String, Object> report = lone(agent, 60 * 2);
        assertTrue(ChildJvm.objects(report, "foreign_pools").isEmpty(), "main is no pool: " + report);
    }

    /**
     * One request at a time on Tomcat's own pool (its executor's threads take turns) is a lone caller too: it
     * keeps the whole budget, although 200 threads could call at once.
     */
    @Test
    void aServerWithOneClientAtATimeKeepsTheWholeBudget() throws Exception {
        Served agent = serve(server("tomcat").agent("cores=" + BUDGET).report(), 1);
        assertEquals("1", agent.result.value("peak_in_gemm"), agent.result::toString);
        // Tomcat's two Catalina-utility threads (a scheduled pool) run housekeeping about once a second, counted busy
        // while they run: they may split the budget with the caller for that moment, never once per request
        Map<String, Object> report = lone(agent.result, REQUESTS, REQUESTS / 5);
        assertForeignPool(report, "tomcat", agent.result);
    }

    /** The application itself saw two callers inside dgemm at once (else the load proves nothing). */
    private static void assertConcurrent(ChildJvm.Result r) {
        String peak = r.value("peak_in_gemm");
        assertNotNull(peak, r::toString);
        assertTrue(Integer.parseInt(peak) >= 2, "the load was concurrent: " + r);
    }

    /**
     * The agent's report of a run where several threads called BLAS at once, at least {@code products} times after
     * the warm-up: it counted the callers, saw two or more inside BLAS at once, and lowered OpenBLAS to 1 for them.
     */
    private static Map<String, Object> governedUnderConcurrentLoad(ChildJvm.Result r, long products) throws Exception {
        Map<String, Object> report = clean(r);
        Map<String, Object> callers = ChildJvm.object(report, "native_callers");
        assertTrue(number(callers, "peak") >= 2, "two callers inside BLAS at once: " + callers);
        assertTrue(number(callers, "entries") >= products, products + " products, each a call: " + callers);
        assertEquals(0, number(callers, "now"), "none inside BLAS at exit: " + callers);
        Map<String, Object> ob = openblas(report);
        assertEquals(1, number(ob, "min_set"), "OpenBLAS was run at one thread under the concurrent callers: " + ob);
        assertTrue(number(ob, "changes") >= 1, ob::toString);
        return report;
    }

    /**
     * The agent's report of a run where one thread at a time called BLAS, at least {@code products} times after the
     * warm-up: one caller at most, and OpenBLAS never lowered below the budget (min_set 0: never set; on a machine
     * with more cores than the budget the agent may set OpenBLAS's default down to the budget itself).
     */
    private static Map<String, Object> lone(ChildJvm.Result r, long products) throws Exception {
        return lone(r, products, 0);
    }

    /** As {@link #lone(ChildJvm.Result, long)}, where other threads' busy moments may change OpenBLAS {@code maxChanges} times. */
    private static Map<String, Object> lone(ChildJvm.Result r, long products, long maxChanges) throws Exception {
        Map<String, Object> report = clean(r);
        Map<String, Object> callers = ChildJvm.object(report, "native_callers");
        assertEquals(1, number(callers, "peak"), "one caller at a time: " + callers);
        assertTrue(number(callers, "entries") >= products, products + " products, each a call: " + callers);
        assertEquals(0, number(callers, "now"), callers::toString);
        Map<String, Object> ob = openblas(report);
        long minSet = number(ob, "min_set");
        long processors = number(report, "available_processors");
        if (processors > BUDGET && minSet != 0) {
            assertEquals(BUDGET, minSet, "set no lower than the budget: " + ob);
        } else if (maxChanges == 0) {
            assertEquals(0, minSet, "never lowered: the lone caller keeps the whole budget: " + ob);
            assertEquals(0, number(ob, "changes"), ob::toString);
        } else {
            assertTrue(number(ob, "changes") <= maxChanges, "not lowered per call: " + ob);
        }
        return report;
    }

    /** The report of a child that ended well, the agent silent on stderr and nothing swallowed. */
    private static Map<String, Object> clean(ChildJvm.Result r) throws Exception {
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.agentLines().isEmpty(), "nothing from the agent on stderr at the default log level: " + r);
        Map<String, Object> report = r.report();
        assertEquals((long) BUDGET, report.get("budget"), report::toString);
        assertTrue(ChildJvm.object(report, "suppressed").isEmpty(), "no failure swallowed: " + report.get("suppressed"));
        return report;
    }

    /** The report's one OpenBLAS runtime: JavaCPP's, the only BLAS the applications load. */
    private static Map<String, Object> openblas(Map<String, Object> report) {
        List<Map<String, Object>> ob = ChildJvm.objects(report, "native").stream()
                .filter(m -> "openblas".equals(m.get("internal_api"))).collect(Collectors.toList());
        assertEquals(1, ob.size(), () -> "one OpenBLAS: " + report.get("native"));
        return ob.get(0);
    }

    /**
     * The report lists the pool the application's requests or tasks ran on as a foreign pool of {@code kind}: a class
     * of the library, of the size the application's own getter reads, recognised, its threads seen.
     */
    private static void assertForeignPool(Map<String, Object> report, String kind, ChildJvm.Result app) {
        List<Map<String, Object>> all = ChildJvm.objects(report, "foreign_pools");
        List<Map<String, Object>> mine = all.stream().filter(p -> kind.equals(p.get("kind"))).collect(Collectors.toList());
        assertFalse(mine.isEmpty(), "a " + kind + " pool among the foreign pools: " + all);
        String prefix = Map.of("tomcat", "org.apache.tomcat.", "jetty", "org.eclipse.jetty.", "netty", "io.netty.",
                "kotlin", "kotlinx.coroutines.").get(kind);
        for (Map<String, Object> p : mine) {
            assertTrue(String.valueOf(p.get("class")).startsWith(prefix), "a class of the library: " + p);
            assertTrue(number(p, "size") >= 1, p::toString);
            Object by = p.get("recognised_by");
            assertTrue(by instanceof String && !((String) by).isBlank(), "how it was recognised: " + p);
        }
        int size = Integer.parseInt(app.value("pool_size"));
        if (size < 1) {
            fail("the application could not read its pool's size: " + app);
        }
        assertTrue(mine.stream().anyMatch(p -> number(p, "size") == size),
                "the pool that ran the work, of the size its own getter reads (" + size + "): " + mine);
        assertTrue(mine.stream().anyMatch(p -> number(p, "threads") >= 1), "its threads were seen: " + mine);
    }

    private static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof Number, () -> "no number \"" + key + "\" in " + m);
        return ((Number) v).longValue();
    }
}
