package io.threadgov.governor.relief;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relief's look at what a cut pool's workers want of the CPUs, and its resizes for the demand's re-decisions:
 * real pools and blocked workers, a fake clock and fake per-thread CPU accounts ({@link StarvationRelief#scanOnce}).
 */
class ReliefDemandTest {

    static final long MS = 1_000_000L;

    final AtomicLong clock = new AtomicLong(1_000 * MS);
    final AtomicInteger tids = new AtomicInteger(100);
    /** Each fake thread id's run nanoseconds, as the test sets them (it never waits in a run queue). */
    final Map<Integer, Long> ran = new ConcurrentHashMap<>();
    final List<long[]> told = new ArrayList<>();
    volatile boolean runnable;
    /** Whether the workers give up their cores voluntarily (block) between looks, or stall. */
    volatile boolean blocking = true;
    final AtomicLong switches = new AtomicLong();
    final Object key = new Object();
    final StarvationRelief relief = new StarvationRelief(clock::get, () -> 100, new StarvationRelief.Listener() {
        @Override
        public void stepped(Object k, int from, int to, long blockedMillis, int queued) {
        }

        @Override
        public int currentTid() {
            int t = tids.incrementAndGet();
            ran.put(t, 0L);
            return t;
        }

        @Override
        public long[] schedstat(Thread t, int tid) {
            Long r = ran.get(tid);
            return r == null ? null : new long[] {r, 0, blocking ? switches.incrementAndGet() : switches.get()};
        }

        @Override
        public boolean runnable(int tid) {
            return runnable;
        }

        @Override
        public void demand(Object k, long wall, long w) {
            told.add(new long[] {wall, w});
        }

        @Override
        public boolean measures(Object k) {
            return measuring;
        }
    });
    /** Whether the listener would use a measure (the pool's demand still unknown). */
    volatile boolean measuring = true;
    final CountDownLatch gate = new CountDownLatch(1);
    ThreadPoolExecutor pool;

    @AfterEach
    void close() throws Exception {
        gate.countDown();
        if (pool != null) {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    /** A pool cut from 4 to 1 with its one worker blocked in a task and one task queued. */
    void blockedCutPool() throws InterruptedException {
        pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> new Thread(() -> {
                    relief.workerStarted(key, Thread.currentThread());
                    r.run();
                }, "rd-worker"));
        relief.track(pool, key, 1, 4);
        CountDownLatch started = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        pool.execute(() -> { });
        assertTrue(started.await(10, TimeUnit.SECONDS));
    }

    void scanAfter(long millis, long ranMillis) {
        clock.addAndGet(millis * MS);
        ran.replaceAll((t, w) -> w + ranMillis * MS);
        relief.scanOnce();
    }

    @Test
    void aCutPoolWhoseWorkersWaitWithTasksQueuedIsToldOnceAWindowHasPassed() throws Exception {
        blockedCutPool();
        scanAfter(0, 0); // marks
        scanAfter(10, 0);
        assertTrue(told.isEmpty(), "10 ms is too short a window");
        scanAfter(10, 0);
        assertEquals(1, told.size(), "20 ms without running: a clear wait");
        assertEquals(20 * MS, told.get(0)[0]);
        assertEquals(0, told.get(0)[1]);
    }

    @Test
    void aPoolWhoseDemandIsKnownHasNothingOfItsWorkersRead() throws Exception {
        blockedCutPool();
        measuring = false; // born of its site's demand, or its tasks already sampled
        AtomicLong reads = new AtomicLong(switches.get());
        scanAfter(0, 0);
        scanAfter(40, 0);
        scanAfter(40, 0);
        assertTrue(told.isEmpty(), "nothing measured, nothing told");
        assertEquals(reads.get(), switches.get(), "no worker's schedstat read");
        measuring = true;
        scanAfter(0, 0);
        scanAfter(40, 0);
        assertEquals(1, told.size(), "unknown again (a test's switch): measured and told");
    }

    @Test
    void workersThatComputeOrAreRunnableAreNotToldAsWaiting() throws Exception {
        blockedCutPool();
        scanAfter(0, 0);
        scanAfter(20, 3);
        assertTrue(told.isEmpty(), "3 of 20 ms run is within a lagging tick of a quarter: not clear");
        scanAfter(0, 0);
        scanAfter(40, 0);
        runnable = true;
        scanAfter(0, 0);
        scanAfter(40, 0);
        assertEquals(1, told.size(), "the second window was a clear wait; the third had a runnable worker");
    }

    @Test
    void aWindowInWhichNoWorkerBlockedIsNoWaitWhateverItsRunTime() throws Exception {
        blockedCutPool();
        blocking = false; // off a core without a voluntary switch: the machine stalled the process
        scanAfter(0, 0);
        scanAfter(40, 0);
        assertTrue(told.isEmpty(), "a stall is not a wait");
        blocking = true;
        scanAfter(0, 0);
        scanAfter(40, 0);
        assertEquals(1, told.size());
    }

    @Test
    void resizeGrowsAndCutsATrackedPoolAndSetsWhereItShrinksBackTo() throws Exception {
        blockedCutPool();
        List<int[]> done = new ArrayList<>();
        assertTrue(relief.resize(key, 4, (from, to) -> done.add(new int[] {from, to})));
        assertEquals(4, pool.getCorePoolSize());
        assertEquals(4, pool.getMaximumPoolSize());
        assertFalse(relief.resize(key, 4, (from, to) -> done.add(new int[] {from, to})), "no change, no record");
        assertFalse(relief.resize(key, 5, (from, to) -> done.add(new int[] {from, to})), "never past what it asked for");
        assertTrue(relief.resize(key, 2, (from, to) -> done.add(new int[] {from, to})));
        assertEquals(2, pool.getCorePoolSize());
        assertEquals(2, done.size());
        assertEquals(1, done.get(0)[0]);
        assertEquals(4, done.get(0)[1]);
        pool.setMaximumPoolSize(3);
        assertFalse(relief.resize(key, 4, (from, to) -> done.add(new int[] {from, to})),
                "the application resized it itself: left alone");
    }

    @Test
    void aPoolBornAtItsFullSizeIsTrackedSoThatItsDemandCanCutIt() {
        pool = new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        relief.track(pool, key, 4, 4);
        assertEquals(1, relief.trackedCount());
        assertTrue(relief.resize(key, 1, (from, to) -> { }));
        assertEquals(1, pool.getCorePoolSize());
    }
}
