package io.threadgov.governor.relief;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relief's decisions on real ThreadPoolExecutors with really blocked worker threads, driven by a
 * fake clock and {@link StarvationRelief#scanOnce()} (no monitor thread, no sleeps that decide).
 */
class StarvationReliefTest {

    static final long MS = 1_000_000L;

    final AtomicLong clock = new AtomicLong(1_000 * MS);
    final List<int[]> steps = new ArrayList<>();
    final Object key = new Object();
    final StarvationRelief relief = new StarvationRelief(clock::get, () -> 100,
            (k, from, to, blocked, queued) -> steps.add(new int[] {from, to, (int) blocked, queued}));
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

    /** A pool cut from {@code requested} to 1, tracked, whose workers register themselves as the hooks would. */
    ThreadPoolExecutor cutPool(int requested) {
        pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> new Thread(() -> {
                    relief.workerStarted(key, Thread.currentThread());
                    try {
                        r.run();
                    } finally {
                        relief.workerEnded(key, Thread.currentThread());
                    }
                }, "rt-worker"));
        relief.track(pool, key, 1, requested);
        return pool;
    }

    void blockOnGate(int tasks) {
        for (int i = 0; i < tasks; i++) {
            pool.execute(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Waits (not a timing assertion) until every worker of the pool is parked in a task. */
    void awaitWorkersBlocked(int n) throws InterruptedException {
        for (int i = 0; i < 10_000; i++) {
            if (pool.getActiveCount() == n && pool.getPoolSize() == n && relief.trackedCount() == 1) {
                boolean all = true;
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().equals("rt-worker") && t.getState() == Thread.State.RUNNABLE) {
                        all = false;
                    }
                }
                if (all) {
                    return;
                }
            }
            Thread.sleep(1);
        }
    }

    void advance(long ms) {
        clock.addAndGet(ms * MS);
    }

    @Test
    void blockedPoolWithQueuedTasksGrowsOneWorkerPerWindowUpToRequested() throws Exception {
        cutPool(3);
        blockOnGate(5);
        awaitWorkersBlocked(1);
        relief.scanOnce(); // starving from now
        advance(99);
        relief.scanOnce();
        assertEquals(1, pool.getCorePoolSize(), "not before the window has passed");
        advance(1);
        relief.scanOnce();
        assertEquals(2, pool.getCorePoolSize());
        assertEquals(2, pool.getMaximumPoolSize());
        assertEquals(1, steps.size());
        assertEquals(1, steps.get(0)[0]);
        assertEquals(2, steps.get(0)[1]);
        assertEquals(100, steps.get(0)[2], "blocked for the window");
        assertTrue(steps.get(0)[3] >= 3, "tasks queued");

        awaitWorkersBlocked(2);
        relief.scanOnce();
        advance(50);
        relief.scanOnce();
        assertEquals(2, pool.getCorePoolSize(), "one step per window, never a burst");
        advance(60);
        relief.scanOnce();
        assertEquals(3, pool.getCorePoolSize());
        awaitWorkersBlocked(3);
        for (int i = 0; i < 5; i++) {
            advance(200);
            relief.scanOnce();
        }
        assertEquals(3, pool.getCorePoolSize(), "never above what the application asked for");
        assertEquals(2, steps.size());
    }

    @Test
    void calmPoolShrinksBackStepByStepToGranted() throws Exception {
        cutPool(3);
        blockOnGate(4);
        awaitWorkersBlocked(1);
        for (int i = 0; i < 3 && pool.getCorePoolSize() < 3; i++) {
            relief.scanOnce();
            advance(100);
            relief.scanOnce();
            awaitWorkersBlocked(pool.getCorePoolSize());
        }
        assertEquals(3, pool.getCorePoolSize());
        gate.countDown();
        for (int i = 0; i < 10_000 && (pool.getCompletedTaskCount() < 4 || pool.getActiveCount() > 0); i++) {
            Thread.sleep(1);
        }
        relief.scanOnce();
        advance(999);
        relief.scanOnce();
        assertEquals(3, pool.getCorePoolSize(), "calm must last ten windows");
        advance(1);
        relief.scanOnce();
        assertEquals(2, pool.getCorePoolSize());
        assertEquals(2, pool.getMaximumPoolSize());
        advance(1000);
        relief.scanOnce();
        assertEquals(1, pool.getCorePoolSize());
        advance(5000);
        relief.scanOnce();
        assertEquals(1, pool.getCorePoolSize(), "never below what the governor granted");
        assertEquals(List.of("1>2", "2>3", "3>2", "2>1"), steps.stream().map(s -> s[0] + ">" + s[1]).toList());
    }

    @Test
    void runnableWorkerIsNotStarving() throws Exception {
        cutPool(2);
        CountDownLatch spinning = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        pool.execute(() -> {
            spinning.countDown();
            while (!stop.get()) {
                Thread.onSpinWait();
            }
        });
        blockOnGate(2);
        spinning.await();
        for (int i = 0; i < 5; i++) {
            relief.scanOnce();
            advance(500);
        }
        stop.set(true);
        assertEquals(1, pool.getCorePoolSize(), "a worker that computes is not starved");
        assertTrue(steps.isEmpty());
    }

    @Test
    void progressRestartsTheWindow() {
        ReliefPolicy p = new ReliefPolicy(1, 4, 100, 1000);
        assertEquals(ReliefPolicy.Step.NONE, p.observe(0, 3, true, false, 7));
        assertEquals(ReliefPolicy.Step.NONE, p.observe(60, 3, true, false, 8)); // a task completed
        assertEquals(ReliefPolicy.Step.NONE, p.observe(120, 3, true, false, 8));
        assertEquals(ReliefPolicy.Step.GROW, p.observe(160, 3, true, false, 8));
        p.resized(2);
        assertEquals(ReliefPolicy.Step.NONE, p.observe(200, 0, false, false, 9), "queue drained");
        assertEquals(ReliefPolicy.Step.NONE, p.observe(400, 2, true, false, 9), "progress since the last queued sample");
        assertEquals(ReliefPolicy.Step.NONE, p.observe(450, 2, true, false, 9));
        assertEquals(ReliefPolicy.Step.NONE, p.observe(549, 2, true, false, 9));
        assertEquals(ReliefPolicy.Step.GROW, p.observe(550, 2, true, false, 9));
    }

    @Test
    void applicationResizingThePoolItselfEndsTracking() throws Exception {
        cutPool(3);
        blockOnGate(3);
        awaitWorkersBlocked(1);
        pool.setMaximumPoolSize(5);
        relief.scanOnce();
        assertEquals(0, relief.trackedCount());
        advance(1000);
        relief.scanOnce();
        assertEquals(1, pool.getCorePoolSize());
        assertTrue(steps.isEmpty());
    }

    @Test
    void collectedAndTerminatedPoolsAreDropped() throws Exception {
        cutPool(3);
        pool.shutdown();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        relief.scanOnce();
        assertEquals(0, relief.trackedCount());
        relief.track(new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()), new Object(), 1, 2);
        assertEquals(1, relief.trackedCount());
        for (int i = 0; i < 50 && relief.trackedCount() > 0; i++) {
            System.gc();
            relief.scanOnce();
        }
        assertEquals(0, relief.trackedCount(), "the relief holds pools weakly");
        assertFalse(relief.counters().isEmpty());
    }

    @Test
    void siblingWaitCompletesUnderRelief() throws Exception {
        cutPool(4);
        List<Future<Integer>> children = new ArrayList<>();
        Future<Integer> parent = pool.submit(() -> {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                final int v = i;
                fs.add(pool.submit(() -> v * v));
            }
            int s = 0;
            for (Future<Integer> f : fs) {
                s += f.get();
            }
            return s;
        });
        awaitWorkersBlocked(1);
        assertFalse(parent.isDone(), "deadlocked at size 1 without relief");
        for (int i = 0; i < 20 && !parent.isDone(); i++) {
            relief.scanOnce();
            advance(100);
            relief.scanOnce();
            Thread.sleep(5);
        }
        assertEquals(5, parent.get(10, TimeUnit.SECONDS));
        assertTrue(pool.getCorePoolSize() >= 2, "grown");
        assertTrue(children.isEmpty());
    }

    @Test
    void aWaiterRunsTheTaskItAwaitsOnlyWhileItIsQueuedInItsOwnPlainCutPool() throws Exception {
        cutPool(2);
        blockOnGate(1); // the one worker is busy: what is submitted now stays queued
        awaitWorkersBlocked(1);
        java.util.concurrent.FutureTask<String> queued = new java.util.concurrent.FutureTask<>(() -> "ran by "
                + Thread.currentThread().getName());
        pool.execute(queued);
        assertFalse(relief.runAwaitedInWaiter(new Object(), queued), "not a tracked pool's worker");
        assertFalse(relief.runAwaitedInWaiter(key, new Object()), "not a task");
        Thread.currentThread().interrupt();
        assertFalse(relief.runAwaitedInWaiter(key, queued), "an interrupted waiter's get() must throw");
        assertTrue(Thread.interrupted());
        assertTrue(relief.runAwaitedInWaiter(key, queued));
        assertTrue(queued.isDone());
        assertEquals("ran by " + Thread.currentThread().getName(), queued.get());
        assertFalse(pool.getQueue().contains(queued), "taken out of the queue: it runs once");
        assertFalse(relief.runAwaitedInWaiter(key, queued), "no longer queued");
        assertEquals(1L, relief.counters().get("ran_in_waiter"));
        assertEquals(1, pool.getCorePoolSize(), "no thread added");
    }

    @Test
    void aSubclassOrAShutDownPoolKeepsItsTasksOnItsWorkers() throws Exception {
        ThreadPoolExecutor sub = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>()) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
            }
        };
        Object subKey = new Object();
        try {
            relief.track(sub, subKey, 1, 2);
            sub.execute(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            java.util.concurrent.FutureTask<Integer> queued = new java.util.concurrent.FutureTask<>(() -> 1);
            sub.execute(queued);
            assertFalse(relief.runAwaitedInWaiter(subKey, queued), "its afterExecute must see the task");
            assertTrue(sub.getQueue().contains(queued));

            cutPool(2);
            blockOnGate(1);
            java.util.concurrent.FutureTask<Integer> last = new java.util.concurrent.FutureTask<>(() -> 2);
            pool.execute(last);
            pool.shutdown();
            assertFalse(relief.runAwaitedInWaiter(key, last), "a shut-down pool runs its queue itself");
            gate.countDown();
            assertEquals(2, last.get(10, TimeUnit.SECONDS));
            assertEquals(1, queued.get(10, TimeUnit.SECONDS));
        } finally {
            sub.shutdownNow();
        }
    }
}
