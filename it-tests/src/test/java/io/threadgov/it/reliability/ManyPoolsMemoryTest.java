package io.threadgov.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import io.threadgov.it.reliability.apps.ManyPoolsApp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The governor holds pools and threads weakly: an application that creates, uses and drops 100,000
 * pools (half nested, so half are decided on and many cut and tracked by starvation relief) does not
 * grow the heap by more than 1 MB after GC, and the report keeps at most 1000 pool records.
 */
class ManyPoolsMemoryTest {

    static final long MB = 1 << 20;

    @Test
    void hundredThousandPoolsLeaveLessThanOneMegabyteBehind() throws Exception {
        ChildJvm.Result plain = ChildJvm.app(ManyPoolsApp.class).args("100000").jvmArg("-Xmx256m").timeout(300).run();
        assertEquals(0, plain.exit, plain::toString);
        ChildJvm.Result r = ChildJvm.app(ManyPoolsApp.class).args("100000").jvmArg("-Xmx256m")
                .agent("cores=2").report().timeout(300).run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(plain.value("sum"), r.value("sum"));
        long plainDelta = Long.parseLong(plain.value("heap.delta"));
        long agentDelta = Long.parseLong(r.value("heap.delta"));
        System.out.println("ManyPoolsMemoryTest: heap delta after 100,000 pools: without agent " + plainDelta
                + " B, with agent " + agentDelta + " B (" + plain.value("millis") + " ms / " + r.value("millis") + " ms)");
        assertTrue(agentDelta < MB, "with the agent the heap grew by " + agentDelta + " B: " + r);
        assertTrue(agentDelta - plainDelta < MB, "the agent's share of the growth is " + (agentDelta - plainDelta) + " B");

        Map<String, Object> json = r.report();
        List<Map<String, Object>> pools = ChildJvm.objects(json, "pools");
        assertEquals(1000, pools.size(), "the report lists at most 1000 pools");
        assertTrue((Long) json.get("pools_total") >= 100_400, json.get("pools_total")::toString);
        assertTrue((Long) json.get("pools_live") < 100, "pools are held weakly: " + json.get("pools_live"));
        Map<String, Object> relief = ChildJvm.object(json, "relief");
        assertTrue((Long) relief.get("pools_tracked") >= 10_000, relief::toString);
        assertTrue((Long) relief.get("live_tracked") < 100, "relief holds pools weakly: " + relief);
    }
}
