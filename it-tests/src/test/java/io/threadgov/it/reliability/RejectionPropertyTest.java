package io.threadgov.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import io.threadgov.it.reliability.apps.RejectionPropertyApp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No task lost, none accepted or rejected differently: a few hundred random pool configurations and
 * submission patterns, built inside outer workers (so the governor decides on each, and cuts the fixed
 * ones), run with and without the agent; every configuration's counts must be equal.
 *
 * <p>Seeded: the seed is printed; {@code -Dthreadgov.it.seed=N} replays it,
 * {@code -Dthreadgov.it.configs=N} changes how many configurations run (default 300).
 */
class RejectionPropertyTest {

    @Test
    void sameAcceptedRunAndRejectedCountsWithAndWithoutTheAgent() throws Exception {
        long seed = Long.getLong("threadgov.it.seed", System.nanoTime() % 1_000_000_000L);
        int configs = Integer.getInteger("threadgov.it.configs", 300);
        System.out.println("RejectionPropertyTest seed=" + seed + " configs=" + configs
                + " (replay: -Dthreadgov.it.seed=" + seed + ")");
        String replay = " [replay with -Dthreadgov.it.seed=" + seed + "]";

        ChildJvm.Result plain = ChildJvm.app(RejectionPropertyApp.class).args(Long.toString(seed), Integer.toString(configs))
                .timeout(120).run();
        assertEquals(0, plain.exit, plain + replay);
        ChildJvm.Result r = ChildJvm.app(RejectionPropertyApp.class).args(Long.toString(seed), Integer.toString(configs))
                .agent("cores=2").report().timeout(120).run();
        assertEquals(0, r.exit, r + replay);
        assertFalse(plain.stdout.contains("DID NOT TERMINATE"), plain + replay);

        String[] a = plain.stdout.split("\n");
        String[] b = r.stdout.split("\n");
        assertEquals(configs + 1, a.length, plain + replay);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], "configuration " + i + " differs under the agent" + replay);
        }
        assertTrue(r.agentLines().isEmpty(), r + replay);

        // the governor did decide on every configuration's pool, and cut some of them
        List<Map<String, Object>> pools = ChildJvm.objects(r.report(), "pools");
        long nested = pools.stream().filter(p -> Boolean.TRUE.equals(p.get("nested"))).count();
        long cut = pools.stream().filter(p -> Boolean.TRUE.equals(p.get("applied"))).count();
        assertEquals(configs, nested, "every configuration's pool was decided on as nested" + replay);
        assertTrue(cut > configs / 20, "some pools were cut (" + cut + ")" + replay);
        long cutInOutput = 0;
        for (String line : a) {
            if (line.matches("c\\d+ (lbq|pbq) core=([2-9]) max=\\2 .*")) {
                cutInOutput++;
            }
        }
        assertTrue(cutInOutput > 0, replay);
        System.out.println("RejectionPropertyTest: " + configs + " configurations, " + cut + " pools cut by the governor, all counts equal");
    }
}
