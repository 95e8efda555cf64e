package io.threadgov.governor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demand measure and the grant it gives, as pure functions of the samples. */
class PoolDemandTest {

    static final long MS = 1_000_000L;

    @Test
    void unknownUntilEnoughIsSampled() {
        PoolDemand d = new PoolDemand();
        d.add(MS, MS);
        assertEquals(PoolCharacter.UNKNOWN, d.character(), "one task of 1 ms says nothing yet");
        d.add(MS, MS);
        d.add(MS, MS);
        d.add(MS, MS);
        assertEquals(PoolCharacter.COMPUTES, d.character(), "four samples do");
        PoolDemand tiny = new PoolDemand();
        for (int i = 0; i < 100; i++) {
            tiny.add(100_000, 10_000);
        }
        assertEquals(PoolCharacter.UNKNOWN, tiny.character(), "tasks of 0.1 ms are too short to tell");
        PoolDemand slow = new PoolDemand();
        slow.add(40 * MS, MS / 2);
        assertEquals(PoolCharacter.UNKNOWN, slow.character(), "never one sample: a first task also waits on class init");
        slow.add(40 * MS, MS / 2);
        assertEquals(PoolCharacter.WAITS, slow.character(), "two 40 ms tasks that waited do");
    }

    @Test
    void samplesWeighByTheirTimeAndRecentOnesDecide() {
        PoolDemand d = new PoolDemand();
        d.add(40 * MS, 0); // a long wait
        d.add(40 * MS, 0);
        for (int i = 0; i < 3; i++) {
            d.add(MS, MS); // short computations
        }
        assertEquals(PoolCharacter.WAITS, d.character(), "83 ms sampled, 3 ran: " + d.demand());
        for (int i = 0; i < 4 * PoolDemand.WINDOW; i++) {
            d.add(10 * MS, 10 * MS);
        }
        assertEquals(PoolCharacter.COMPUTES, d.character(), "a pool that turned to computing: " + d.demand());
        for (int i = 0; i < 4 * PoolDemand.WINDOW; i++) {
            d.add(10 * MS, 4 * MS);
        }
        assertEquals(PoolCharacter.MIXED, d.character(), "and then to half and half: " + d.demand());
    }

    @Test
    void runTimeRoundedPastTheWallClockCountsAsTheWholeSample() {
        PoolDemand d = new PoolDemand();
        d.add(10 * MS, 11 * MS);
        d.add(10 * MS, 11 * MS);
        assertEquals(1.0, d.demand());
    }

    @Test
    void theGrantKeepsComputingThreadsWithinTheShare() {
        assertEquals(1, SharePolicy.grantForDemand(16, 1, -1), "unknown: the share");
        assertEquals(1, SharePolicy.grantForDemand(16, 1, 0.9), "computes: the share");
        assertEquals(16, SharePolicy.grantForDemand(16, 1, 0.1), "waits: what it asked for");
        assertEquals(4, SharePolicy.grantForDemand(16, 1, 0.5), "half: four threads, two computing on average");
        assertEquals(8, SharePolicy.grantForDemand(16, 2, 0.5));
        assertEquals(7, SharePolicy.grantForDemand(16, 1, 0.3), "ceil(2 / 0.3)");
        assertEquals(3, SharePolicy.grantForDemand(3, 2, 0.3), "never more than it asked for");
        assertEquals(6, SharePolicy.grantForDemand(16, 2, 0.74), "ceil(4 / 0.74)");
        assertEquals(1, SharePolicy.grantForDemand(16, 1, 0.75), "computes: its share");
    }

    @Test
    void schedstatLinesParseToRunPlusRunQueueTime() {
        byte[] line = "555441522 209130086 446\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(555441522L, SchedStat.parse(line, line.length)[0]);
        assertEquals(209130086L, SchedStat.parse(line, line.length)[1]);
        byte[] bad = "555441522\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(null, SchedStat.parse(bad, bad.length));
        assertEquals(null, SchedStat.parse(new byte[0], -1));
    }

    @Test
    void statusFilesGiveTheVoluntarySwitches() {
        byte[] st = "Name:\tjava\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t42\nnonvoluntary_ctxt_switches:\t7\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals(42, SchedStat.parseVoluntary(st, st.length));
        byte[] none = "Name:\tjava\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, SchedStat.parseVoluntary(none, none.length));
    }

    @Test
    void theCallingThreadsRunTimeGrowsWhileItComputes() {
        if (!SchedStat.AVAILABLE) {
            return; // not Linux: nothing is measured, and the governor decides as before (tested in it-tests)
        }
        long before = SchedStat.self()[0];
        long x = 0;
        long end = System.nanoTime() + 30 * MS;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        long[] after = SchedStat.self();
        assertTrue(after[0] - before >= 10 * MS, "30 ms of spinning ran at least 10 ms: " + (after[0] - before) + " " + x);
        long switches = after[2];
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertTrue(SchedStat.self()[2] > switches, "a sleep is a voluntary switch");
    }

    @Test
    void firstTaskSamplesAreClaimedNoMoreAtOnceThanThePoolNeeds() {
        PoolDemand d = new PoolDemand();
        for (int i = 0; i < PoolDemand.SETTLED_SAMPLES; i++) {
            assertTrue(d.claimFirst(), "claim " + (i + 1));
        }
        assertFalse(d.claimFirst(), "8 running settle a new pool: a ninth worker starting with them does not sample");
        d.releaseFirst();
        assertTrue(d.claimFirst(), "a claim given back (its sample dropped or too short) is free again");
        for (int i = 0; i < PoolDemand.SETTLED_SAMPLES; i++) {
            d.add(2 * MS, MS);
            d.releaseFirst();
        }
        assertTrue(d.settled());
        assertFalse(d.claimFirst(), "settled: no more first-task samples");
    }

    @Test
    void aPoolBornAtItsSitesGrantTakesTwoSamplesOrNone() {
        PoolDemand looked = new PoolDemand();
        looked.settleAfter(2);
        assertTrue(looked.claimFirst());
        assertTrue(looked.claimFirst());
        assertFalse(looked.claimFirst(), "16 workers starting together: 2 sample");
        looked.add(2 * MS, 0);
        looked.releaseFirst();
        assertFalse(looked.claimFirst(), "one in, one running: enough");

        PoolDemand judged = new PoolDemand();
        judged.bornOf(0.05);
        judged.settleAfter(0);
        assertTrue(judged.settled());
        assertFalse(judged.claimFirst(), "judged by its site: no sample of its own");
        assertEquals(PoolCharacter.WAITS, judged.character(), "it carries its site's character");
        assertEquals(0, judged.samples());
    }

    @Test
    void aSitesOwnSamplesReplaceWhatItWasBornWith() {
        PoolDemand d = new PoolDemand();
        d.bornOf(0.05);
        for (int i = 0; i < 4; i++) {
            d.add(10 * MS, 10 * MS);
        }
        assertEquals(PoolCharacter.COMPUTES, d.character(), "its own samples decide once enough are in");
        d.bornOf(0.05);
        assertEquals(PoolCharacter.COMPUTES, d.character(), "a prior never overwrites samples");
    }

    @Test
    void aSiteIsLookedAtOncePerGap() {
        DemandDecider decider = new DemandDecider(null, null);
        long t = 1_000_000_000L;
        PoolDecision.Family f = PoolDecision.Family.THREAD_POOL;
        String request = DemandDecider.site("app.Service.request", f, 16);
        assertTrue(decider.siteLook(request, t), "the first pool of a site");
        assertFalse(decider.siteLook(request, t + 10 * MS));
        assertTrue(decider.siteLook(DemandDecider.site("app.Service.other", f, 16), t + 10 * MS),
                "another site has its own gap");
        assertTrue(decider.siteLook(DemandDecider.site("app.Service.request", f, 8), t + 10 * MS),
                "another size is another site");
        assertTrue(decider.siteLook(request, t + DemandDecider.SITE_LOOK_GAP_NANOS));
        assertFalse(decider.siteLook(request, t + DemandDecider.SITE_LOOK_GAP_NANOS + MS));
        assertTrue(decider.siteLook(DemandDecider.site("unknown", f, 16), t), "no site: every pool looks");
    }
}
