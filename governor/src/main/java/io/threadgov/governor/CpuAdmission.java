package io.threadgov.governor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * CPU admission: workers of a gated pool run tasks only while they hold one of the budget's B cores.
 *
 * <p>A top-level fixed thread pool larger than the budget (an application's {@code newFixedThreadPool(8)}
 * on 2 cores) keeps its size, as DESIGN.md says; but when its tasks compute, running 8 at once on 2 cores
 * costs cache and switching ({@code unbalanced} against a pool of 2: BENCHMARKS.md, History, 2026-12-02
 * 032ace2..3000a57, "unbalanced: the agent is outer=8 at 1 thread"). Admission
 * keeps the pool as it is and lets at most B of its workers compute at a time; the others wait for a core
 * before they take a task from the queue (or, if the pool handed them one while idle, with it in hand).
 * Nothing is rejected or dropped; tasks start in queue order, only later.
 *
 * <p>It never deadlocks where the application would not: a holder that blocks gives its core away
 * (at once in {@code Future.get()}, otherwise when a waiter's scan sees it blocked or not using the CPU
 * while the OS does not see it runnable: one descheduled by a busy machine is not blocking),
 * an interrupted waiter runs at once, and a waiter whose pool started no task for 10 times
 * {@code threadgov.starvation} (a holder that spins), or that waited 100 times that in all, runs over the
 * budget. A pool whose holders are found blocking again and again (I/O work) is
 * taken out of admission for good.
 *
 * <p>A holder that finds no work keeps its core while it waits in its pool's queue, and a worker without a
 * core waits for one before it waits for work: so about B workers of the gated pools wait in their queues,
 * new work reaches one that runs it at once, and the others stay parked, instead of all of them waking up
 * with a task each and queueing for a core with it (a handoff per task at the start of every batch, which
 * cost unbalanced and nested-blas their gain: BENCHMARKS.md, History, 2026-12-02 032ace2..3000a57, "Admission
 * without a handoff per task"). An idle
 * holder gives its core up as soon as a worker with work waits.
 */
final class CpuAdmission {

    /*
     * Algorithm. permits = B. held counts the holders charged against the permits. A gated worker asks for
     * a permit at two points: at getTask's entry when work is queued (before it takes a task: a ticket
     * "without task"), and at getTask's return or before its first task when it got a task without holding
     * one (a ticket "with task": the pool handed it work while it was idle). acquire() takes a permit at once
     * when one is free and nobody waits; otherwise the worker queues its ticket and parks. A holder gives its
     * permit back when it ends, enters a Future wait, or is revoked (an idle one only for a ticket with
     * work, see below); at a task boundary it passes it on only if a ticket with a task waits (that task was
     * taken first and must not wait behind the queue), then queues again without a task. A returned permit
     * goes to the first ticket with a task, else to the first with work, else to the first ticket (no
     * barging: held does not drop while tickets wait).
     *
     * The first ticket's owner parks in slices of SCAN_NANOS and scans the holders each time; the others
     * park until granted (the new first one is woken to take over the scan). A holder whose thread is
     * BLOCKED/WAITING/TIMED_WAITING, or RUNNABLE but whose CPU time advanced by less than a quarter of the
     * wall time over JUDGE_NANOS while the OS does not show it runnable at that moment (KernelThreadState,
     * read only after such a CPU time: a thread queued for a CPU is descheduled by load, not blocked), at two
     * verdicts in a row (a look sooner than that gives none), is revoked: its permit passes on and it runs on
     * uncharged until its task ends. A holder found waiting between tasks (inside getTask) is idle, not
     * blocking; any other revocation counts against its pool, which leaves admission for good once
     * BLOCKING_REVOCATIONS of its holdings, and half or more of its holdings and the tasks run under them
     * (counted when a holding ends), were revoked (tasks that do I/O). A
     * waiter whose pool's holders started no task (within the permits: tasks of holders over the budget do
     * not count) for OVERDUE_WINDOWS x starvation, or that waited CAP_WINDOWS times that in all, or whose
     * thread is interrupted, is admitted over the budget (held then exceeds permits, and releases above the
     * permits do not pass on; such a holder runs one task: at its next task boundary it gives that core up
     * and queues again, also when work is queued). A waiter of a pool whose holders keep starting tasks is
     * not starved: they run its work in queue order (a ticket with a task goes first at their next task
     * boundary). The pool's count of starts (PoolDecision.gateStarts) is an AtomicLong bumped at each start
     * within the permits; a waiter compares it with the value it saw last.
     *
     * Waiting for work (awaitWork, at getTask's entry with the pool's queue empty): a holder keeps its
     * permit (one above the permits is dropped), a worker without one queues a ticket without task first.
     * Such a ticket is never overdue while its pool's queue is empty (it waits for work, not for a core). A
     * ticket "has work" when it holds a task or its pool's queue is not empty; next() serves tickets with a
     * task, then tickets with work, then the first one. An idle holder (betweenTasks, found waiting) is
     * revoked only while some ticket has work; otherwise it is left holding. When no holder is running a
     * task and no ticket has work, the scanner looks every IDLE_SCAN_NANOS instead of SCAN_NANOS, so a
     * quiet pool costs a wake-up every 10 ms, and work submitted to a pool whose workers all wait here
     * (another gated pool holds every core, idle) is noticed within about that time.
     *
     * Concurrency. Every change of held, the tickets and the holders' holding/holdGen/holdSince happens
     * under this object's monitor. Workers read their own holding flag racily (volatile) on the fast path
     * and re-check under the monitor. A ticket's granted flag is volatile: set under the monitor before
     * unpark, read by its parked owner. The scan's marks on a holder (markGen/markCpu/markWall/strikes) are
     * touched only by the scanner, one at a time (the scanning flag's CAS and reset order successive
     * scanners); a verdict applies only if the holder still holds the same grant (holdGen), checked under
     * the monitor. waiting and waitingWithTask are volatile copies of the ticket counts, for racy checks at
     * task boundaries; head is the first ticket, written under the monitor.
     */

    static final long SCAN_NANOS = 2_000_000L;
    /** How often the first waiter looks when no holder runs a task and no waiter has work. */
    static final long IDLE_SCAN_NANOS = 10_000_000L;
    /** A RUNNABLE holder's CPU time is judged over at least this much wall time. */
    static final long JUDGE_NANOS = 4_000_000L;
    /** A RUNNABLE holder that used less than this share of the wall time (per mille) is not computing. */
    static final long COMPUTING_PERMILLE = 250;
    /** A pool is left alone once this many of its holdings were revoked, if they are half or more. */
    static final int BLOCKING_REVOCATIONS = 16;
    /** A waiter whose pool started no task for this many starvation windows runs over the budget. */
    static final int OVERDUE_WINDOWS = 10;
    /** ... and any waiter after this many times that bound, its pool progressing or not. */
    static final int CAP_WINDOWS = 10;

    /** The CPU time a thread has used, in ns; negative when unknown. */
    interface CpuClock {
        long cpuNanos(Thread t);

        /** Whether the worker's thread is runnable to the OS now (on a CPU or queued for one): KernelThreadState's values. */
        default int runnable(WorkerState ws) {
            return KernelThreadState.UNKNOWN;
        }
    }

    private final LongSupplier nanos;
    private final LongSupplier starvationMillis;
    private final CpuClock cpu;
    private int permits;
    private int held;
    private final ArrayDeque<Ticket> tickets = new ArrayDeque<>();
    private final ArrayList<WorkerState> holders = new ArrayList<>();
    private volatile int waiting;
    private volatile int waitingWithTask;
    private volatile boolean inUse;
    private volatile Ticket head;
    private final AtomicBoolean scanning = new AtomicBoolean();
    private volatile long lastScan;
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong waitNanos = new AtomicLong();
    private long admitted;
    private long handoffs;
    private long revoked;
    private long revokedIdle;
    /** Waiters admitted over the budget (overdue, or interrupted): the report's over_budget. */
    private long overBudget;
    private long descheduled; // scan only
    /** Pools taken out of admission for good (their tasks block): the report's pools_left_alone. */
    private long poolsLeftAlone;

    CpuAdmission(int permits, LongSupplier nanos, LongSupplier starvationMillis, CpuClock cpu) {
        this.permits = Math.max(1, permits);
        this.nanos = nanos;
        this.starvationMillis = starvationMillis;
        this.cpu = cpu;
    }

    /** A worker's place in the queue for a core (see the overview: with a task, with work, or neither). */
    private static final class Ticket {
        final WorkerState ws;
        volatile boolean granted;

        /** The worker already took a task (its first one, or one from an empty pool's queue): served first. */
        final boolean withTask;

        Ticket(WorkerState ws, boolean withTask) {
            this.ws = ws;
            this.withTask = withTask;
        }
    }

    /**
     * Blocks until the calling worker {@code ws} holds a core (or may run over the budget). {@code withTask}:
     * it holds a task already (tickets with a task are served before those without).
     */
    void acquire(WorkerState ws, boolean withTask) {
        if (ws.tid == 0) {
            ws.tid = KernelThreadState.currentTid(); // once per worker, on its own thread (-1: unknown)
        }
        Ticket t;
        synchronized (this) {
            if (ws.holding) {
                return;
            }
            if (tickets.isEmpty() && held < permits) {
                held++;
                hold(ws);
                return;
            }
            t = new Ticket(ws, withTask);
            tickets.addLast(t);
            ticketsChanged();
        }
        waits.incrementAndGet();
        long start = nanos.getAsLong();
        long limit = OVERDUE_WINDOWS * Math.max(1, starvationMillis.getAsLong()) * 1_000_000L;
        long now = start;
        long stalledSince = start;
        long starts = ws.decision.gateStarts.get();
        while (!t.granted) {
            if (!withTask && !poolHasWork(ws)) {
                start = now; // waiting for work, not for a core: never overdue
                stalledSince = now;
            } else {
                long started = ws.decision.gateStarts.get();
                if (started != starts) {
                    starts = started; // its pool's holders go on starting tasks: not stalled
                    stalledSince = now;
                }
            }
            if (ws.thread.isInterrupted() || now - stalledSince >= limit || now - start >= CAP_WINDOWS * limit) {
                synchronized (this) {
                    if (!t.granted) {
                        tickets.remove(t);
                        ticketsChanged();
                        held++;
                        overBudget++;
                        hold(ws);
                        ws.overBudget = true;
                    }
                }
                break;
            }
            if (head == t) { // the first waiter watches the holders; the others sleep until granted
                scan(now);
                LockSupport.parkNanos(this, quiet() ? IDLE_SCAN_NANOS : SCAN_NANOS);
            } else {
                LockSupport.parkNanos(this, limit - (now - stalledSince));
            }
            now = nanos.getAsLong();
        }
        ws.waking = false;
        waitNanos.addAndGet(nanos.getAsLong() - start);
    }

    /** The calling worker gives its core back (idle, ending, or about to block); no-op when it holds none. */
    void release(WorkerState ws) {
        if (!ws.holding) {
            return;
        }
        ws.betweenTasks = true; // waiting for this monitor is not a task that blocks
        synchronized (this) {
            if (ws.holding) {
                unhold(ws);
                passOn();
            }
        }
    }

    /**
     * The calling worker {@code ws} found its pool's queue empty and is about to wait for work: it keeps its
     * core if it holds one within the permits, else it waits for a core first (see the overview).
     */
    void awaitWork(WorkerState ws) {
        ws.betweenTasks = true;
        if (ws.holding) {
            synchronized (this) {
                if (ws.holding && held > permits) { // admitted over the budget: that core goes
                    unhold(ws);
                    passOn();
                }
            }
            if (ws.holding) {
                return;
            }
        }
        acquire(ws, false);
    }

    /** Whether the pool of {@code ws} has work queued (true when it cannot tell). */
    private static boolean poolHasWork(WorkerState ws) {
        Object p = ws.pool;
        return !(p instanceof java.util.concurrent.ThreadPoolExecutor)
                || !((java.util.concurrent.ThreadPoolExecutor) p).getQueue().isEmpty();
    }

    private boolean hasWork(Ticket t) {
        return t.withTask || poolHasWork(t.ws);
    }

    /** Under the monitor: whether some waiter has work to run. */
    private boolean anyTicketHasWork() {
        for (Ticket t : tickets) {
            if (hasWork(t)) {
                return true;
            }
        }
        return false;
    }

    /** No holder runs a task and no waiter has work: nothing for the scan to find soon. */
    private synchronized boolean quiet() {
        for (WorkerState h : holders) {
            if (!h.betweenTasks) {
                return false;
            }
        }
        return !anyTicketHasWork();
    }

    /**
     * At a task boundary with work queued: a holder passes its core to a worker that waits with a task in
     * hand (that task was taken first), and a holder admitted over the budget gives that core up (it ran the
     * one task its wait was overdue for); true when it did, and must then queue for a core again (acquire)
     * before it takes the next task.
     */
    boolean handOff(WorkerState ws) {
        if (ws.holding && (waitingWithTask > 0 || ws.overBudget)) {
            release(ws);
            return true;
        }
        return false;
    }

    /** Some pool was gated (once true, stays true): workers mark their task boundaries. */
    boolean inUse() {
        return inUse;
    }

    void inUse(boolean b) {
        inUse = b;
    }

    /** The budget changed: more permits admit waiters at once; fewer take effect as holders release. */
    synchronized void permits(int n) {
        permits = Math.max(1, n);
        grantWhileFree();
    }

    /** Admission is switched off (mode or configuration changed): every waiter runs now. */
    synchronized void openAll() {
        Ticket t;
        while ((t = tickets.pollFirst()) != null) {
            held++;
            hold(t.ws);
            t.granted = true;
            LockSupport.unpark(t.ws.thread);
        }
        ticketsChanged();
    }

    /** Under the monitor, after the tickets changed: the first one is the scanner; it is woken to take that role. */
    private void ticketsChanged() {
        waiting = tickets.size();
        int w = 0;
        for (Ticket t : tickets) {
            if (t.withTask) {
                w++;
            }
        }
        waitingWithTask = w;
        Ticket h = tickets.peekFirst();
        if (h != head) {
            head = h;
            if (h != null) {
                LockSupport.unpark(h.ws.thread);
            }
        }
    }

    private void grantWhileFree() {
        while (held < permits) {
            Ticket t = next();
            if (t == null) {
                break;
            }
            held++;
            grant(t);
        }
        ticketsChanged();
    }

    private void hold(WorkerState ws) {
        ws.holdGen++;
        ws.holdSince = nanos.getAsLong();
        ws.holding = true;
        holders.add(ws);
        admitted++;
        ws.decision.gateAdmissions++;
    }

    private void unhold(WorkerState ws) {
        ws.holding = false;
        ws.overBudget = false;
        holders.remove(ws);
        ws.decision.gateAdmissions += Math.max(0, ws.heldTasks - 1); // a holding that ran k tasks weighs k
        ws.heldTasks = 0;
    }

    private void grant(Ticket t) {
        t.ws.waking = true;
        hold(t.ws);
        t.granted = true;
        LockSupport.unpark(t.ws.thread);
    }

    /** Removes and returns the first ticket with a task, else the first with work, else the first, else null. */
    private Ticket next() {
        if (waitingWithTask > 0) {
            for (java.util.Iterator<Ticket> it = tickets.iterator(); it.hasNext(); ) {
                Ticket t = it.next();
                if (t.withTask) {
                    it.remove();
                    return t;
                }
            }
        }
        for (java.util.Iterator<Ticket> it = tickets.iterator(); it.hasNext(); ) {
            Ticket t = it.next();
            if (poolHasWork(t.ws)) {
                it.remove();
                return t;
            }
        }
        return tickets.pollFirst();
    }

    /** A permit came back: above the budget it is dropped, else it goes to the next ticket. */
    private void passOn() {
        if (held > permits) {
            held--;
            return;
        }
        Ticket t = next();
        if (t == null) {
            held--;
            return;
        }
        ticketsChanged();
        handoffs++;
        grant(t);
    }

    /** One look at the holders, by a waiter; at most one at a time and one per SCAN_NANOS. */
    void scan(long now) {
        if (now - lastScan < SCAN_NANOS || !scanning.compareAndSet(false, true)) {
            return;
        }
        try {
            lastScan = now;
            WorkerState[] snapshot;
            int[] gens;
            synchronized (this) {
                snapshot = holders.toArray(new WorkerState[0]);
                gens = new int[snapshot.length];
                for (int i = 0; i < snapshot.length; i++) {
                    gens[i] = snapshot[i].holdGen;
                }
            }
            for (int i = 0; i < snapshot.length; i++) {
                WorkerState h = snapshot[i];
                int verdict = computing(h, gens[i], now);
                if (verdict == COMPUTING) {
                    h.strikes = 0;
                } else if (verdict == NOT_COMPUTING && ++h.strikes >= 2) { // two verdicts in a row: not a lock taken in passing
                    h.strikes = 0;
                    revoke(h, gens[i]);
                }
            }
        } catch (Throwable t) {
            Log.failure("admission scan", t);
        } finally {
            scanning.set(false);
        }
    }

    /** The scan's verdicts on a holder: too early to tell (its CPU time is judged over JUDGE_NANOS). */
    private static final int UNDECIDED = 0;
    private static final int COMPUTING = 1;
    private static final int NOT_COMPUTING = 2;

    private int computing(WorkerState h, int gen, long now) {
        if (h.waking) {
            h.markGen = -1; // granted, not yet running: look again later
            return COMPUTING;
        }
        if (h.markGen != gen) {
            h.markGen = gen;
            h.strikes = 0;
            h.markCpu = -1;
        }
        Thread.State s = h.thread.getState();
        if (s == Thread.State.BLOCKED || s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING
                || s == Thread.State.TERMINATED) {
            if (Log.debugEnabled()) {
                Log.debug("admission: holder " + h.thread.getName() + " is " + s);
            }
            return NOT_COMPUTING;
        }
        long c = cpu.cpuNanos(h.thread);
        if (c < 0) {
            return COMPUTING;
        }
        if (h.markCpu < 0) {
            h.markCpu = c;
            h.markWall = now;
            return UNDECIDED;
        }
        long wall = now - h.markWall;
        if (wall < JUDGE_NANOS) {
            return UNDECIDED; // a look between two verdicts neither clears nor adds a strike
        }
        boolean busy = (c - h.markCpu) * 1000 >= wall * COMPUTING_PERMILLE;
        if (!busy && cpu.runnable(h) == KernelThreadState.RUNNABLE) {
            busy = true; // little CPU, but it wants some now: descheduled by a busy machine, not blocked
            descheduled++;
        }
        if (!busy && Log.debugEnabled()) {
            Log.debug("admission: " + h.thread.getName() + " used " + (c - h.markCpu) / 1000 + " us CPU in "
                    + wall / 1000 + " us");
        }
        h.markCpu = c;
        h.markWall = now;
        return busy ? COMPUTING : NOT_COMPUTING;
    }

    private synchronized void revoke(WorkerState h, int gen) {
        if (!h.holding || h.holdGen != gen) {
            return;
        }
        if (h.betweenTasks && !anyTicketHasWork()) {
            return; // idle, and nobody waits with work: it keeps its core for the next work of its pool
        }
        unhold(h);
        if (h.betweenTasks) {
            revokedIdle++; // it waits for work in getTask: idle, not a task that blocks
            passOn();
            return;
        }
        revoked++;
        PoolDecision d = h.decision;
        d.gateRevocations++;
        if (d.gateRaw() == PoolDecision.GATE_ON && d.gateRevocations >= BLOCKING_REVOCATIONS && d.gateRevocations * 2 >= d.gateAdmissions) {
            d.gate(PoolDecision.GATE_OFF);
            poolsLeftAlone++;
            if (Log.debugEnabled()) {
                Log.debug("admission: " + d + " left alone: " + d.gateRevocations + " of " + d.gateAdmissions
                        + " holdings blocked");
            }
        }
        passOn();
    }

    /** The report's counters. */
    synchronized Map<String, Object> counters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("permits", permits);
        m.put("holders", held);
        m.put("waiting", tickets.size());
        m.put("admitted", admitted);
        m.put("waits", waits.get());
        m.put("wait_ms", waitNanos.get() / 1_000_000);
        m.put("handoffs", handoffs);
        m.put("revoked", revoked);
        m.put("revoked_idle", revokedIdle);
        m.put("over_budget", overBudget);
        m.put("descheduled", descheduled);
        m.put("pools_left_alone", poolsLeftAlone);
        return m;
    }
}
