package io.threadgov.governor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SharePolicyTest {

    @Test
    void workerShareIsCreatorShareOverGrantedAtLeastOne() {
        assertEquals(4, SharePolicy.workerShare(8, 2));
        assertEquals(1, SharePolicy.workerShare(2, 4));
        assertEquals(1, SharePolicy.workerShare(1, 1));
        assertEquals(2, SharePolicy.workerShare(5, 2), "integer division");
    }

    @Test
    void nestedResizablePoolsAreCutToTheShare() {
        assertEquals(1, SharePolicy.grant(PoolScope.NESTED, true, true, 8, 1));
        assertEquals(3, SharePolicy.grant(PoolScope.NESTED, true, true, 3, 4), "never grown");
        assertEquals(8, SharePolicy.grant(PoolScope.NESTED, false, true, 8, 2), "top level kept");
        assertEquals(2, SharePolicy.grant(PoolScope.ALL, false, true, 8, 2), "pools=all cuts top level");
        assertEquals(8, SharePolicy.grant(PoolScope.NONE, true, true, 8, 1), "pools=none cuts nothing");
        assertEquals(8, SharePolicy.grant(PoolScope.ALL, true, false, 8, 1), "never resizes what must not be");
    }

    @Test
    void onlyFixedPoolsWithUnboundedQueuesAreResizable() {
        long unbounded = Integer.MAX_VALUE;
        assertEquals("fixed", SharePolicy.threadPoolSemantics(4, 4, unbounded).key());
        assertEquals("handoff", SharePolicy.threadPoolSemantics(0, Integer.MAX_VALUE, 0).key());
        assertEquals("bounded-queue", SharePolicy.threadPoolSemantics(4, 4, 100).key());
        assertEquals("elastic", SharePolicy.threadPoolSemantics(4, Integer.MAX_VALUE, unbounded).key());
        assertEquals(4, SharePolicy.threadPoolRequested(4, 4, unbounded));
        assertEquals(Integer.MAX_VALUE, SharePolicy.threadPoolRequested(0, Integer.MAX_VALUE, 0));
    }

    @Test
    void onlyPoolsWhoseSemanticsSurviveAResizeAreCutAndNeverGrown() {
        assertTrue(SharePolicy.resizable(PoolSemantics.FIXED));
        assertTrue(SharePolicy.resizable(PoolSemantics.FORK_JOIN));
        assertTrue(SharePolicy.resizable(PoolSemantics.COMMON));
        assertFalse(SharePolicy.resizable(PoolSemantics.HANDOFF));
        assertFalse(SharePolicy.resizable(PoolSemantics.BOUNDED_QUEUE));
        assertFalse(SharePolicy.resizable(PoolSemantics.CACHED));
        assertFalse(SharePolicy.resizable(PoolSemantics.ELASTIC));
        PoolDecision cut = new PoolDecision(1, PoolDecision.Family.THREAD_POOL, "test", null, true, 1, 8, true,
                PoolSemantics.FIXED, 2, 2, true);
        assertEquals(2, SharePolicy.sizeToBuild(cut, 8), "core and max of a fixed pool of 8 cut to 2");
        assertEquals(5, SharePolicy.sizeToBuild(cut, 5), "an argument that is not the requested size is kept");
        assertEquals(8, SharePolicy.sizeToBuild(null, 8), "no decision: as asked");
        PoolDecision observed = new PoolDecision(2, PoolDecision.Family.THREAD_POOL, "test", null, true, 1, 8, true,
                PoolSemantics.FIXED, 2, 2, false);
        assertEquals(8, SharePolicy.sizeToBuild(observed, 8), "not applied (observe): as asked");
        assertEquals(5, SharePolicy.commonPoolParallelism(PoolScope.NESTED, 6), "the common pool: B - 1");
        assertEquals(1, SharePolicy.commonPoolParallelism(PoolScope.ALL, 1));
        assertEquals(-1, SharePolicy.commonPoolParallelism(PoolScope.NONE, 6), "pools=none: left to the JDK");
    }

    @Test
    void processWideThreadsGiveBusyWorkersTheCoresTheirSharesHold() {
        assertEquals(2, SharePolicy.processWideThreads(2, 0, 0), "no worker busy: the budget");
        assertEquals(1, SharePolicy.processWideThreads(2, 1, 1), "one busy worker of a pool of 8 on 2 cores: its share");
        assertEquals(1, SharePolicy.processWideThreads(2, 8, 8));
        assertEquals(4, SharePolicy.processWideThreads(8, 1, 4), "one worker of a pool of 2 on 8 cores: 4");
        assertEquals(4, SharePolicy.processWideThreads(8, 2, 8));
        assertEquals(2, SharePolicy.processWideThreads(8, 4, 8));
        assertEquals(1, SharePolicy.processWideThreads(8, 16, 16));
        assertEquals(4, SharePolicy.processWideThreads(8, 2, 12), "shares beyond the budget: the budget, split");
    }

    @Test
    void busyWorkersOfPoolsThatGrowWithDemandHoldWhatTheirCreatorHeld() {
        assertEquals(1, SharePolicy.busyShare(PoolSemantics.FIXED, 1, 2), "a fixed pool of 8 on 2 cores: its share");
        assertEquals(2, SharePolicy.busyShare(PoolSemantics.FORK_JOIN, 2, 4));
        assertEquals(2, SharePolicy.busyShare(PoolSemantics.COMMON, 2, 2));
        assertEquals(8, SharePolicy.busyShare(PoolSemantics.HANDOFF, 1, 8), "a cached pool: one busy request gets the budget");
        assertEquals(8, SharePolicy.busyShare(PoolSemantics.ELASTIC, 2, 8));
        assertEquals(2, SharePolicy.busyShare(PoolSemantics.BOUNDED_QUEUE, 1, 2));
        assertEquals(8, SharePolicy.processWideThreads(8, 1, SharePolicy.busyShare(PoolSemantics.HANDOFF, 1, 8)));
        assertEquals(4, SharePolicy.processWideThreads(8, 2, 2 * SharePolicy.busyShare(PoolSemantics.HANDOFF, 1, 8)));
    }

    @Test
    void processWideThreadsSplitTheBudgetOverBusyWorkers() {
        assertEquals(8, SharePolicy.processWideThreads(8, 0), "a lone main thread gets the budget");
        assertEquals(8, SharePolicy.processWideThreads(8, 1));
        assertEquals(2, SharePolicy.processWideThreads(8, 4));
        assertEquals(1, SharePolicy.processWideThreads(2, 16));
    }

    @Test
    void afterAWorkerWentIdleTheBusyOnesAreATailAndSplitTheBudget() {
        assertEquals(2, SharePolicy.processWideThreads(2, 1, 1, true), "the last busy worker of a pool of 8 on 2 cores");
        assertEquals(1, SharePolicy.processWideThreads(2, 1, 1, false), "a first worker of a batch: its share");
        assertEquals(1, SharePolicy.processWideThreads(2, 2, 2, true));
        assertEquals(8, SharePolicy.processWideThreads(16, 2, 4, true), "two left of a pool of 8 on 16 cores");
        assertEquals(1, SharePolicy.processWideThreads(2, 7, 7, true), "past the budget: 1");
        assertEquals(2, SharePolicy.processWideThreads(2, 0, 0, true), "nothing busy: the budget");
    }
}
