package io.threadgov.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import io.threadgov.it.reliability.apps.ExecutorChecksApp;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jsr166-TCK-style executor checks ({@link ExecutorChecksApp}) under the agent in its default mode, with
 * pools top-level and nested: every result equals the run without the agent; the values that reveal a
 * pool's size are equal for top-level pools and, for nested pools, are the governed sizes.
 */
class ExecutorBehaviourTest {

    @ParameterizedTest(name = "{0} pools")
    @ValueSource(strings = {"top", "nested"})
    void executorsBehaveAsWithoutTheAgent(String where) throws Exception {
        ChildJvm.Result plain = ChildJvm.app(ExecutorChecksApp.class).args(where).timeout(120).run();
        assertEquals(0, plain.exit, plain::toString);
        ChildJvm.Result r = ChildJvm.app(ExecutorChecksApp.class).args(where).agent().timeout(120).run();
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.agentLines().isEmpty(), r::toString);

        Map<String, String> a = plain.values();
        Map<String, String> b = r.values();
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.size() > 60, "all checks ran: " + a.size());
        for (String k : a.keySet()) {
            if (!k.startsWith("size.") || where.equals("top")) {
                assertEquals(a.get(k), b.get(k), k + " differs under the agent: " + r);
            }
        }
        if (where.equals("nested")) {
            int share = Math.max(1, Integer.parseInt(b.get("avail")) / 2); // outer fixed pool of 2
            String fixed3 = Integer.toString(Math.min(3, share));
            assertEquals(fixed3, b.get("size.getters.corePoolSize"), "the nested fixed(3) pool is cut to the share");
            assertEquals(fixed3, b.get("size.getters.maximumPoolSize"));
            assertEquals(fixed3, b.get("size.getters.poolSize"));
            assertEquals(fixed3, b.get("size.getters.largestPoolSize"));
            assertEquals(Integer.toString(Math.min(4, share)), b.get("size.fj.parallelism"));
            assertEquals("2", b.get("size.scheduled.core"), "scheduled pools are never resized");
            assertEquals("3", a.get("size.getters.corePoolSize"));
            int unstarted = Integer.parseInt(b.get("size.shutdownNow.unstarted"));
            assertTrue(unstarted >= 4 && unstarted <= 6 - Math.min(2, share), "a cut pool returns more unstarted tasks: " + unstarted);
        }
    }
}
