package io.threadgov.governor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Threads in native BLAS calls outside the governed pools, and other libraries' pools: the policy alone. */
class NativeCallersTest {

    @Test
    void callersOutsidePoolsSplitTheBudgetAndALoneCallerKeepsIt() throws Exception {
        Governor g = new Governor(Config.parse("cores=4,admission=off", new Properties(), 4));
        Counting natives = new Counting();
        g.natives(natives);
        int first = g.nativeEnter();
        assertEquals(4, first, "counted, holding the budget");
        assertEquals(4, g.processWideThreads(), "a lone caller keeps the budget");
        int second = g.nativeEnter(); // a second caller (the count is the governor's, not the thread's)
        assertEquals(2, g.processWideThreads(), "two callers on 4 cores: 2 each");
        int third = g.nativeEnter();
        int fourth = g.nativeEnter();
        int fifth = g.nativeEnter();
        assertEquals(1, g.processWideThreads(), "five callers on 4 cores: 1 each");
        assertEquals(4, natives.changes.get(), "told at every change up to the budget, not past it");
        for (int t : new int[] {fifth, fourth, third, second}) {
            g.nativeExit(t);
        }
        assertEquals(4, g.processWideThreads(), "the others left: the budget again");
        assertEquals(4, natives.changes.get(), "not raised while a caller computes: the others are between two calls");
        g.nativeExit(first);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (natives.changes.get() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(5, natives.changes.get(), "raised once the callers all stayed out (the raiser's look)");
        assertTrue(natives.raises.get() >= 1);
        assertEquals(0, g.busyWorkers());
        Map<String, Object> counters = g.nativeCallers().counters();
        assertEquals(5L, counters.get("entries"));
        assertEquals(5, counters.get("peak"));
        assertEquals(0, counters.get("now"));
        assertEquals(counters, g.report().get("native_callers"));
        g.nativeExit(0); // a token of a call that was not counted changes nothing
        assertEquals(0, g.busyWorkers());
    }

    @Test
    void callersLeaveTheTailOfABatchItsCores() throws Exception {
        Governor g = new Governor(Config.parse("cores=2,admission=off", new Properties(), 2));
        g.natives(new Counting());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        g.register(pool, g.decideThreadPool(8, 8, Integer.MAX_VALUE));
        try {
            TestWorker w1 = new TestWorker(g, pool);
            TestWorker w2 = new TestWorker(g, pool);
            w1.start();
            w2.start();
            w2.idle();
            assertEquals(2, g.processWideThreads(), "the tail of a batch gets the budget");
            int t = g.nativeEnter();
            assertEquals(1, g.processWideThreads(), "main calls BLAS beside it: they split the budget");
            g.nativeExit(t);
            assertEquals(2, g.processWideThreads(), "main left: the tail has the budget again (draining kept)");
            assertEquals(0, w1.enterNative(), "a counted busy worker is not counted again");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aScheduledPoolWithOnlyTasksNotYetDueHasNothingToRun() throws Exception {
        java.util.concurrent.ScheduledThreadPoolExecutor scheduled = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        try {
            assertTrue(Governor.nothingDue(scheduled.getQueue()));
            scheduled.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
            assertEquals(1, scheduled.getQueue().size());
            assertTrue(Governor.nothingDue(scheduled.getQueue()),
                    "a periodic task between runs is no work: its workers are idle (Tomcat's Catalina-utility threads)");
            java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
            scheduled.execute(() -> {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            scheduled.schedule(() -> { }, 0, TimeUnit.NANOSECONDS); // due now, behind the busy worker
            org.junit.jupiter.api.Assertions.assertFalse(Governor.nothingDue(scheduled.getQueue()), "a task due now is work");
            hold.countDown();
        } finally {
            scheduled.shutdownNow();
        }
        LinkedBlockingQueue<Runnable> plain = new LinkedBlockingQueue<>();
        assertTrue(Governor.nothingDue(plain));
        plain.add(() -> { });
        org.junit.jupiter.api.Assertions.assertFalse(Governor.nothingDue(plain));
    }

    @Test
    void theCountRisesForALoneCallerOnlyOnceNoTwoCallersWereInsideForAGrace() throws Exception {
        NativeCallers c = new NativeCallers();
        assertTrue(c.mayRaise(1), "no two callers were ever inside at once: a lone caller");
        assertFalse(c.mayRaise(2), "two inside: never raised");
        c.entered(1);
        c.entered(2); // a second caller while the first is inside
        c.exited(1, () -> { });
        assertFalse(c.mayRaise(1), "right after two were inside: the other is likely between two calls");
        c.exited(0, () -> { });
        Thread.sleep(NativeCallers.GRACE_NANOS / 1_000_000 + 5);
        assertTrue(c.mayRaise(1), "after the grace: a lone caller");
    }

    @Test
    void nothingIsCountedUnderNativeOff() {
        Governor off = new Governor(Config.parse("cores=2,native=off", new Properties(), 2));
        assertEquals(0, off.nativeEnter(), "native=off: no busy period is counted");
        assertEquals(0L, off.nativeCallers().counters().get("entries"));
    }

    @Test
    void aForeignPoolsThreadsHoldATopLevelShareAndThePoolIsListed() throws Exception {
        Governor g = new Governor(Config.parse("cores=4,admission=off", new Properties(), 4));
        TomcatLike server = new TomcatLike(2);
        AtomicInteger granted = new AtomicInteger();
        Thread t = new Thread(() -> {
            g.foreignThread("tomcat", server);
            g.foreignThread("tomcat", server); // once per thread
            // a fixed pool made on it is nested: cut to the thread's share, 4 / 2
            granted.set(g.decideThreadPool(8, 8, Integer.MAX_VALUE).granted());
        });
        t.start();
        t.join();
        assertEquals(2, granted.get());
        g.foreignThread("no-such-library", server);
        assertEquals(8, g.decideThreadPool(8, 8, Integer.MAX_VALUE).granted(), "main: top-level, kept");
        List<?> pools = (List<?>) g.report().get("foreign_pools");
        assertEquals(1, pools.size(), pools.toString());
        Map<?, ?> p = (Map<?, ?>) pools.get(0);
        assertEquals("tomcat", p.get("kind"));
        assertEquals(TomcatLike.class.getName(), p.get("class"));
        assertEquals(2, p.get("size"));
        assertEquals(2, p.get("share"));
        assertEquals(1, p.get("threads"));
        assertTrue(((String) p.get("recognised_by")).endsWith("ThreadPoolExecutor.runWorker"));
    }

    @Test
    void aPoolWhoseSizeCannotBeReadIsLeftAlone() {
        Governor g = new Governor(Config.parse("cores=4", new Properties(), 4));
        g.foreignThread("jetty", new Object()); // no this$0: nothing to recognise
        assertEquals(List.of(), g.report().get("foreign_pools"));
        assertNull(ForeignPools.Kind.of("x"));
        assertNotNull(ForeignPools.Kind.of("kotlin"));
    }

    /** Stands for Tomcat's pool: the size method its kind reads. */
    public static final class TomcatLike {
        private final int max;

        TomcatLike(int max) {
            this.max = max;
        }

        public int getMaximumPoolSize() {
            return max;
        }
    }

    /** A native layer with a process-wide runtime that counts how often callers changed the busy count. */
    @Test
    void underHostScopeWorkersParkedAtTenLooksLeaveTheProcessWideCountAndComeBackWhenTheyStop() throws Exception {
        for (String scope : new String[] {"host", "jvm"}) {
            Governor g = new Governor(Config.parse("cores=2,admission=off,scope=" + scope, new Properties(), 2));
            Counting natives = new Counting();
            g.natives(natives);
            ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            g.register(pool, g.decideThreadPool(2, 2, Integer.MAX_VALUE));
            try {
                // two busy workers parked between steps (WAITING in a queue's take), as a message loop is, and main
                // inside a BLAS call beside them
                TestWorker w1 = new TestWorker(g, pool);
                TestWorker w2 = new TestWorker(g, pool);
                w1.start();
                w2.start();
                w1.awaitParked();
                w2.awaitParked();
                int token = g.nativeEnter();
                assertEquals(1, g.processWideThreads(), scope + ": three counted on 2 cores");
                for (int look = 1; look < Governor.DORMANT_LOOKS; look++) {
                    assertEquals("host".equals(scope) ? 1 : 3, g.computingThreads(), scope + ": main computes, look " + look);
                    assertEquals(1, g.processWideThreads(), scope + ": parked for less than the looks it takes");
                }
                g.computingThreads();
                if ("jvm".equals(scope)) {
                    assertEquals(1, g.processWideThreads(), "jvm scope has no look: the count is the busy workers'");
                    assertEquals(0, g.dormantWorkers());
                    g.nativeExit(token);
                    continue;
                }
                assertEquals(2, g.dormantWorkers());
                assertEquals(2, g.processWideThreads(), "the parked pair left the count: main's BLAS gets the budget");
                assertTrue(natives.told.get() >= 1, "the native layer was told at the look");
                g.nativeExit(token);
                w1.idle(); // its task ended: uncounted, so it is no longer among the dormant at the next look
                w1.awaitParked();
                g.computingThreads();
                assertEquals(1, g.dormantWorkers(), "the snapshot follows at the next look");
                assertEquals(2, g.processWideThreads());
                w1.task(); // busy again, parked again: counted until it has been parked for the looks again
                w1.awaitParked();
                g.computingThreads();
                assertEquals(1, g.dormantWorkers(), "a worker back at work counts until it stays parked");
                assertEquals(1, g.processWideThreads(), "w1 is counted beside the dormant w2");
                assertEquals(2L, g.dormantChanges(), "two changes: none to both at the tenth look, then to w2 alone");
            } finally {
                pool.shutdown();
            }
        }
    }

    /** A native layer that counts what it is told: callers' changes ({@code changes}, {@code raises}), busy workers' ({@code told}). */
    private static final class Counting implements NativeControl {
        final AtomicInteger changes = new AtomicInteger();
        final AtomicInteger raises = new AtomicInteger();
        final AtomicInteger told = new AtomicInteger();

        @Override
        public boolean needsBusyCount() {
            return true;
        }

        @Override
        public void busyWorkersChanged(int busyWorkers, int budget) {
            told.incrementAndGet();
        }

        @Override
        public void callersChanged(boolean mayRaise) {
            changes.incrementAndGet();
            if (mayRaise) {
                raises.incrementAndGet();
            }
        }
    }
}
