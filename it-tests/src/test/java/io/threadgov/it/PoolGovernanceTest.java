package io.threadgov.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.apps.CommonPoolApp;
import io.threadgov.it.apps.StreamInWorkerApp;
import io.threadgov.it.apps.DeepNestingApp;
import io.threadgov.it.apps.NestedPoolsApp;
import io.threadgov.it.apps.PoolKindsApp;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The governor's decisions on the JDK's own pools, seen through the pools' own getters in child JVMs. */
class PoolGovernanceTest {

    @Test
    void withoutAgentNestedPoolsKeepTheirSizes() throws Exception {
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).run();
        assertEquals(0, r.exit, r::toString);
        String avail = r.value("avail");
        for (int i = 0; i < 4; i++) {
            assertEquals(avail + ",3,8/8", r.value("task" + i), r::toString);
        }
        assertEquals("4", r.value("outer"));
    }

    @Test
    void nestedPoolsAreCutToTheirShareAndTheReportListsThem() throws Exception {
        ChildJvm.Result plain = ChildJvm.app(NestedPoolsApp.class).run();
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).agent().sysprop("threadgov.cores", "2").report().run();
        assertEquals(0, r.exit, r::toString);
        for (int i = 0; i < 4; i++) {
            assertEquals("1,1,1/1", r.value("task" + i), r::toString);
        }
        assertEquals("4", r.value("outer"), "the top-level pool keeps its size");
        assertEquals(plain.value("checksum"), r.value("checksum"), "same results as without the agent");
        assertTrue(r.agentLines().isEmpty(), "nothing on stderr at the default log level: " + r.stderr);

        Map<String, Object> json = r.report();
        assertEquals(2L, json.get("budget"));
        assertEquals("enforce", json.get("mode"));
        assertEquals(System.getProperty("java.version"), json.get("jdk"));
        List<Map<String, Object>> pools = ChildJvm.objects(json, "pools");
        List<Map<String, Object>> nested = pools.stream().filter(p -> Boolean.TRUE.equals(p.get("nested")))
                .collect(Collectors.toList());
        assertEquals(12, nested.size(), "4 workers x 3 nested pools: " + pools);
        for (Map<String, Object> p : nested) {
            assertEquals(1L, p.get("granted"), p::toString);
            assertEquals(1L, p.get("depth"), p::toString);
            assertEquals(1L, p.get("share"), p::toString);
            assertTrue(((String) p.get("creator")).startsWith(NestedPoolsApp.class.getName() + "."), p::toString);
        }
        assertEquals(4, nested.stream().filter(p -> p.get("requested").equals(3L) && p.get("kind").equals("ForkJoinPool")).count());
        assertEquals(4, nested.stream().filter(p -> p.get("requested").equals(8L) && p.get("kind").equals("ThreadPoolExecutor")).count());
        Map<String, Object> outer = pools.stream().filter(p -> Boolean.FALSE.equals(p.get("nested"))
                && NestedPoolsApp.class.getName().concat(".main").equals(p.get("creator"))).findFirst().orElseThrow();
        assertEquals(4L, outer.get("requested"));
        assertEquals(4L, outer.get("granted"));
        assertEquals(0L, outer.get("depth"));
    }

    @Test
    void observeModeDecidesAndReportsButChangesNothing() throws Exception {
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).agent("cores=2,mode=observe").report().run();
        assertEquals(0, r.exit, r::toString);
        String avail = r.value("avail");
        for (int i = 0; i < 4; i++) {
            assertEquals(avail + ",3,8/8", r.value("task" + i), r::toString);
        }
        Map<String, Object> json = r.report();
        assertEquals("observe", json.get("mode"));
        List<Map<String, Object>> nested = ChildJvm.objects(json, "pools").stream()
                .filter(p -> Boolean.TRUE.equals(p.get("nested")))
                .collect(Collectors.toList());
        assertEquals(12, nested.size());
        for (Map<String, Object> p : nested) {
            assertEquals(1L, p.get("granted"), "the decision is recorded: " + p);
            assertEquals(Boolean.FALSE, p.get("applied"), p::toString);
        }
    }

    @Test
    void offModeChangesNothingAndWritesNothing() throws Exception {
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).agent()
                .sysprop("threadgov.mode", "off").sysprop("threadgov.cores", "2").report().run();
        assertEquals(0, r.exit, r::toString);
        String avail = r.value("avail");
        assertEquals(avail + ",3,8/8", r.value("task0"), r::toString);
        assertFalse(Files.exists(r.reportFile()), "mode=off installs nothing, not even the report");
    }

    @Test
    void everyPoolKindAndFactoryNested() throws Exception {
        ChildJvm.Result r = ChildJvm.app(PoolKindsApp.class).agent("cores=2").run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("true", r.value("done"));
        // resizable: fixed pools with unbounded queues and ForkJoin pools, cut to the share 1
        assertEquals("1/1", r.value("kind.fixed"), r::toString);
        assertEquals("1/1", r.value("kind.tpeUnbounded"));
        assertEquals("1/1", r.value("kind.subclass"));
        assertEquals("1", r.value("kind.workstealing"));
        assertEquals("1", r.value("kind.fjp"));
        assertEquals("1", r.value("kind.fjpAsync"));
        assertEquals("1", r.value("kind.fjpFull"));
        assertEquals("ok", r.value("kind.single"));
        // semantics would change: recorded, never resized
        assertEquals("0/" + Integer.MAX_VALUE, r.value("kind.cached"));
        assertEquals("6/" + Integer.MAX_VALUE, r.value("kind.scheduled"));
        assertEquals("5/" + Integer.MAX_VALUE, r.value("kind.stpe"));
        assertEquals("5/5", r.value("kind.tpeBounded"));
        assertEquals("2/7", r.value("kind.tpeHandoff"));
    }

    @Test
    void poolsAllCutsTopLevelPoolsToTheBudget() throws Exception {
        ChildJvm.Result r = ChildJvm.app(PoolKindsApp.class).args("top").agent("cores=2,pools=all").run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("2/2", r.value("kind.fixed"), r::toString);
        assertEquals("2", r.value("kind.fjp"));
        assertEquals("2/2", r.value("kind.tpeUnbounded"));
        assertEquals("0/" + Integer.MAX_VALUE, r.value("kind.cached"));
        assertEquals("5/5", r.value("kind.tpeBounded"));
        ChildJvm.Result keep = ChildJvm.app(PoolKindsApp.class).args("top").agent("cores=2").run();
        assertEquals("6/6", keep.value("kind.fixed"), "top-level pools keep their size by default: " + keep);
        assertEquals("6", keep.value("kind.fjp"));
    }

    @Test
    void poolsNoneResizesNothing() throws Exception {
        ChildJvm.Result r = ChildJvm.app(PoolKindsApp.class).agent("cores=2,pools=none").run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("6/6", r.value("kind.fixed"), r::toString);
        assertEquals("6", r.value("kind.fjp"));
        assertEquals("5/5", r.value("kind.subclass"));
    }

    @Test
    void sharesNestTwoLevelsDeep() throws Exception {
        ChildJvm.Result plain = ChildJvm.app(DeepNestingApp.class).run();
        assertEquals("8:4:7", plain.value("level"), plain::toString);
        ChildJvm.Result r = ChildJvm.app(DeepNestingApp.class).agent("cores=8").report().run();
        assertEquals(0, r.exit, r::toString);
        // outer 2 kept (top level): share 8/2 = 4; mid ForkJoinPool(8) -> 4, share 1; inner fixed 4 -> 1
        assertEquals("4:1:7", r.value("level"), r::toString);
        List<Map<String, Object>> pools = ChildJvm.objects(r.report(), "pools");
        assertTrue(pools.stream().anyMatch(p -> p.get("depth").equals(2L) && p.get("requested").equals(4L)
                && p.get("granted").equals(1L)), pools::toString);
        assertTrue(pools.stream().anyMatch(p -> p.get("depth").equals(1L) && p.get("requested").equals(8L)
                && p.get("granted").equals(4L) && p.get("share").equals(1L)), pools::toString);
    }

    @Test
    void commonPoolIsSizedFromTheBudget() throws Exception {
        ChildJvm.Result plain = ChildJvm.app(CommonPoolApp.class).run();
        ChildJvm.Result r = ChildJvm.app(CommonPoolApp.class).agent("cores=5").run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("4", r.value("common"), "budget - 1: " + r);
        assertEquals(plain.value("sum"), r.value("sum"));
        ChildJvm.Result own = ChildJvm.app(CommonPoolApp.class).agent("cores=5")
                .sysprop("java.util.concurrent.ForkJoinPool.common.parallelism", "3").run();
        assertEquals("3", own.value("common"), "the application's own setting wins: " + own);
    }

    @Test
    void commonPoolIsSizedFromTheBudgetOnJdk25() throws Exception {
        ChildJvm.Result j25 = ChildJvm.app(CommonPoolApp.class).java(ChildJvm.java25()).agent("cores=5").run();
        assertEquals("4", j25.value("common"), j25::toString);
    }

    @Test
    void aParallelStreamOnAWorkerAtShareOneRunsInThatWorkerAndOnMainItSplits() throws Exception {
        ChildJvm.Result plain = ChildJvm.app(StreamInWorkerApp.class).run();
        ChildJvm.Result r = ChildJvm.app(StreamInWorkerApp.class).agent("cores=2").report().run();
        ChildJvm.Result observe = ChildJvm.app(StreamInWorkerApp.class).agent("cores=2,mode=observe").run();
        assertEquals(0, r.exit, r::toString);
        String sum = ":2646700";
        // without the agent, and under observe, the common pool's worker takes part in the worker's stream
        assertTrue(plain.value("worker").endsWith(sum) && !plain.value("worker").startsWith("1:"), plain::toString);
        assertTrue(!observe.value("worker").startsWith("1:"), observe::toString);
        // a worker of a pool of 8 on 2 cores has share 1: its stream runs whole in it, same result
        assertEquals("1" + sum, r.value("worker"), r::toString);
        // main works for no pool: its share is the budget, its stream splits onto the common pool
        assertTrue(r.value("main").endsWith(sum) && !r.value("main").startsWith("1:"), r::toString);
        assertEquals(1L, r.report().get("streams_in_caller"), r::toString);
    }

    @Test
    void aParallelStreamOnAWorkerAtShareOneRunsInThatWorkerOnJdk25() throws Exception {
        ChildJvm.Result j25 = ChildJvm.app(StreamInWorkerApp.class).java(ChildJvm.java25()).agent("cores=2").run();
        assertEquals("1:2646700", j25.value("worker"), j25::toString);
    }

    @Test
    void bannerAtInfoNothingAtWarn() throws Exception {
        ChildJvm.Result info = ChildJvm.app(CommonPoolApp.class).agent("cores=3,log=info").run();
        assertEquals(1, info.agentLines().size(), info::toString);
        assertTrue(info.agentLines().get(0).contains("budget 3"), info::toString);
        ChildJvm.Result warn = ChildJvm.app(CommonPoolApp.class).agent("cores=3").run();
        assertEquals("", warn.stderr, "nothing at all on stderr at the default level");
    }
}
