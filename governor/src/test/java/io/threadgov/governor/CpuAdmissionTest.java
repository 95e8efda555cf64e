package io.threadgov.governor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admission's policy with real threads: who gets a core, in which order, and when a holder loses it.
 * CPU time comes from a fake clock the test drives; the wall clock is the real one (the waiters park).
 */
class CpuAdmissionTest {

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** Holders listed here use the CPU (their fake CPU time follows the wall clock); others use none. */
    private final List<Thread> computing = new CopyOnWriteArrayList<>();
    private final AtomicLong starvationMs = new AtomicLong(100_000);

    /** Holders listed here get no CPU time but are runnable to the OS (descheduled by a busy machine). */
    private final List<Thread> descheduled = new CopyOnWriteArrayList<>();

    private CpuAdmission admission(int permits) {
        return new CpuAdmission(permits, System::nanoTime, starvationMs::get, new CpuAdmission.CpuClock() {
            @Override
            public long cpuNanos(Thread t) {
                return computing.contains(t) ? System.nanoTime() : 0L;
            }

            @Override
            public int runnable(WorkerState ws) {
                return descheduled.contains(ws.thread) ? KernelThreadState.RUNNABLE : KernelThreadState.NOT_RUNNABLE;
            }
        });
    }

    private static PoolDecision pool() {
        PoolDecision d = new PoolDecision(1, PoolDecision.Family.THREAD_POOL, "test", null, false, 0, 8, true,
                PoolSemantics.FIXED, 2, 8, false);
        d.gate(PoolDecision.GATE_ON);
        return d;
    }

    /** A worker thread that acquires (with or without a task), reports its state, then runs {@code body}. */
    private WorkerState[] start(CpuAdmission a, PoolDecision d, boolean withTask, BlockingQueue<String> events,
                                String name, Runnable body) throws InterruptedException {
        WorkerState[] holder = new WorkerState[1];
        CountDownLatch created = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            WorkerState ws = new WorkerState(d);
            holder[0] = ws;
            created.countDown();
            a.acquire(ws, withTask);
            events.add(name);
            body.run();
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        assertTrue(created.await(10, TimeUnit.SECONDS));
        return holder;
    }

    /** Starts a holder that spins until {@code go} opens, lists it in {@code as} (its CPU clock), and waits for its core. */
    private void spinningHolder(CpuAdmission a, PoolDecision d, BlockingQueue<String> admitted, CountDownLatch go,
                                String name, List<Thread> as) throws InterruptedException {
        start(a, d, true, admitted, name, () -> spinUntil(go));
        as.addAll(threads);
        assertEquals(name, admitted.poll(10, TimeUnit.SECONDS));
    }

    @AfterEach
    void stop() {
        threads.forEach(Thread::interrupt);
    }

    private static void parkUntil(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Spins (RUNNABLE) until {@code go} opens: a holder that computes. */
    private static void spinUntil(CountDownLatch go) {
        while (go.getCount() > 0 && !Thread.currentThread().isInterrupted()) {
            Thread.onSpinWait();
        }
    }

    @Test
    void atMostThePermitsHoldACoreAndAReleasePassesItToTheWaiter() throws Exception {
        CpuAdmission a = admission(2);
        PoolDecision d = pool();
        BlockingQueue<String> admitted = new ArrayBlockingQueue<>(10);
        CountDownLatch go = new CountDownLatch(1);
        WorkerState[] w1 = start(a, d, true, admitted, "w1", () -> spinUntil(go));
        assertEquals("w1", admitted.poll(10, TimeUnit.SECONDS));
        start(a, d, true, admitted, "w2", () -> spinUntil(go));
        assertEquals("w2", admitted.poll(10, TimeUnit.SECONDS));
        start(a, d, true, admitted, "w3", () -> spinUntil(go));
        computing.addAll(threads);
        assertEquals(null, admitted.poll(300, TimeUnit.MILLISECONDS), "a third worker ran with 2 permits");
        assertEquals(1, a.counters().get("waiting"));
        a.release(w1[0]); // w1 goes idle
        assertEquals("w3", admitted.poll(10, TimeUnit.SECONDS));
        Map<String, Object> c = a.counters();
        assertEquals(2, c.get("holders"));
        assertEquals(1L, c.get("handoffs"));
        assertFalse(w1[0].holding);
        go.countDown();
    }

    @Test
    void aWorkerHoldingATaskIsServedBeforeOneWithout() throws Exception {
        CpuAdmission a = admission(1);
        PoolDecision d = pool();
        BlockingQueue<String> admitted = new ArrayBlockingQueue<>(10);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WorkerState[] first = start(a, d, true, admitted, "first", () -> spinUntil(release));
        assertEquals("first", admitted.poll(10, TimeUnit.SECONDS));
        computing.addAll(threads);
        start(a, d, false, admitted, "without-task", () -> spinUntil(go));
        awaitWaiting(a, 1);
        start(a, d, true, admitted, "with-task", () -> spinUntil(go));
        awaitWaiting(a, 2);
        computing.addAll(threads);
        a.release(first[0]);
        assertEquals("with-task", admitted.poll(10, TimeUnit.SECONDS), "the task taken first runs first");
        release.countDown();
        go.countDown();
    }

    @Test
    void aHolderThatBlocksLosesItsCoreAndAPoolThatKeepsBlockingIsLeftAlone() throws Exception {
        CpuAdmission a = admission(1);
        PoolDecision d = pool();
        BlockingQueue<String> admitted = new ArrayBlockingQueue<>(100);
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 0; i < CpuAdmission.BLOCKING_REVOCATIONS + 1; i++) {
            // each holder blocks (WAITING on a latch, as in a socket-less I/O wait): the next waiter must get in
            start(a, d, true, admitted, "b" + i, () -> parkUntil(never));
            assertEquals("b" + i, admitted.poll(10, TimeUnit.SECONDS), "worker b" + i + " never got a core");
        }
        assertTrue((Long) a.counters().get("revoked") >= CpuAdmission.BLOCKING_REVOCATIONS);
        assertFalse(d.gated(), "a pool whose holders all block must be taken out of admission");
        assertEquals("off (tasks block)", d.gateState());
        never.countDown();
    }

    @Test
    void aRunnableHolderThatUsesNoCpuLosesItsCore() throws Exception {
        CpuAdmission a = admission(1);
        PoolDecision d = pool();
        BlockingQueue<String> admitted = new ArrayBlockingQueue<>(10);
        CountDownLatch go = new CountDownLatch(1);
        start(a, d, true, admitted, "io", () -> spinUntil(go)); // RUNNABLE, but its fake CPU time stands still
        assertEquals("io", admitted.poll(10, TimeUnit.SECONDS));
        start(a, d, true, admitted, "next", () -> spinUntil(go));
        assertEquals("next", admitted.poll(10, TimeUnit.SECONDS));
        assertEquals(1L, a.counters().get("revoked"));
        go.countDown();
    }

    @Test
    void aHolderThatGetsNoCpuButIsRunnableToTheOsKeepsItsCore() throws Exception {
        starvationMs.set(50); // the waiter is overdue after 10 x 50 ms: it must not be let in sooner
        CpuAdmission a = admission(1);
        PoolDecision d = pool();
        BlockingQueue<String> admitted = new ArrayBlockingQueue<>(10);
        CountDownLatch go = new CountDownLatch(1);
        spinningHolder(a, d, admitted, go, "descheduled", descheduled); // no CPU time, but runnable
        long t0 = System.nanoTime();
        start(a, d, true, admitted, "next", () -> spinUntil(go));
        assertEquals("next", admitted.poll(10, TimeUnit.SECONDS), "overdue, the waiter runs over the budget");
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(400), "a holder descheduled, not blocked, lost its core");
        assertEquals(0L, a.counters().get("revoked"));
        assertTrue((Long) a.counters().get("descheduled") > 0, a.counters()::toString);
        go.countDown();
    }

    @Test
    void aComputingHolderKeepsItsCoreUntilTheWaiterIsOverdue() throws Exception {
        starvationMs.set(50); // overdue after 10 x 50 ms
        CpuAdmission a = admission(1);
        PoolDecision d = pool();
        BlockingQueue<String> admitted = new ArrayBlockingQueue<>(10);
        CountDownLatch go = new CountDownLatch(1);
        spinningHolder(a, d, admitted, go, "cpu", computing);
        long t0 = System.nanoTime();
        WorkerState late = start(a, d, true, admitted, "late", () -> spinUntil(go))[0];
        assertEquals("late", admitted.poll(10, TimeUnit.SECONDS), "an overdue waiter must run over the budget");
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(400), "admitted before it was overdue");
        assertEquals(0L, a.counters().get("revoked"));
        assertEquals(1L, a.counters().get("over_budget"));
        assertEquals(2, ((Number) a.counters().get("holders")).intValue());
        // at its next task boundary the one over the budget gives that core up; the other keeps its own
        assertTrue(a.handOff(late), "a holder over the budget runs one task");
        assertEquals(1, ((Number) a.counters().get("holders")).intValue());
        go.countDown();
    }

    @Test
    void aWaiterOfAPoolWhoseHoldersKeepStartingTasksIsNotOverdue() throws Exception {
        starvationMs.set(100); // overdue after a stall of 10 x 100 ms
        CpuAdmission a = admission(1);
        PoolDecision d = pool();
        BlockingQueue<String> admitted = new ArrayBlockingQueue<>(10);
        CountDownLatch go = new CountDownLatch(1);
        spinningHolder(a, d, admitted, go, "cpu", computing);
        // the pool's holder goes on starting tasks, as the governor counts them at each task start
        CountDownLatch stall = new CountDownLatch(1);
        Thread starts = new Thread(() -> {
            while (stall.getCount() > 0) {
                d.gateStarts.incrementAndGet();
                try {
                    stall.await(5, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "starts");
        starts.setDaemon(true);
        threads.add(starts);
        starts.start();
        start(a, d, true, admitted, "late", () -> spinUntil(go));
        assertEquals(null, admitted.poll(2500, TimeUnit.MILLISECONDS),
                "a waiter of a pool that progresses must not run over the budget");
        assertEquals(0L, a.counters().get("over_budget"));
        long t0 = System.nanoTime();
        stall.countDown(); // the pool stalls: the waiter is overdue one bound later
        assertEquals("late", admitted.poll(10, TimeUnit.SECONDS), "once its pool stalls the waiter must run");
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(800), "admitted before it was overdue");
        assertEquals(1L, a.counters().get("over_budget"));
        go.countDown();
    }

    @Test
    void anInterruptedWaiterRunsAtOnce() throws Exception {
        CpuAdmission a = admission(1);
        PoolDecision d = pool();
        BlockingQueue<String> admitted = new ArrayBlockingQueue<>(10);
        CountDownLatch go = new CountDownLatch(1);
        spinningHolder(a, d, admitted, go, "cpu", computing);
        start(a, d, true, admitted, "interrupted", () -> { });
        awaitWaiting(a, 1);
        threads.get(1).interrupt(); // shutdownNow(): the task must run and see its interrupt
        assertEquals("interrupted", admitted.poll(10, TimeUnit.SECONDS));
        go.countDown();
    }

    private static void awaitWaiting(CpuAdmission a, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (((Number) a.counters().get("waiting")).intValue() < n) {
            assertTrue(System.nanoTime() < end, "no " + n + " waiters");
            Thread.sleep(1);
        }
    }
}
