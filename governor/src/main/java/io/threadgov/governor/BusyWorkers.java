package io.threadgov.governor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The governed workers running a task now, and the budget shares they hold: what the process-wide native
 * runtimes follow ({@link SharePolicy#processWideThreads(int, int, int, boolean)}).
 */
final class BusyWorkers {

    /*
     * Concurrency. This is the only shared mutable state on a task's path. One AtomicLong holds the number of
     * busy workers (high 32 bits), the sum of their shares (bits 0-30) and whether the last change was a worker
     * going idle with nothing queued (bit 31, DRAINING), so that one load reads all three consistently and one
     * CAS changes them together.
     *
     * It is touched only on real transitions between busy and idle (a ThreadPoolExecutor worker that finds its
     * queue non-empty stays busy; one whose FutureTask completes with its queue empty is idle before the task's
     * waiters wake) and only while counting is on. Counting starts at construction when native governing is on,
     * or when a runtime that needs the count is found, and is never switched off.
     *
     * Each busy period is added and removed by its own worker (WorkerState.counted and countedShare are that
     * thread's alone): a period that began before counting started is never removed, so the count cannot go
     * negative. A worker notifies the native layer after its CAS; the native layer reads the count again under
     * its runtime's monitor (natives.NativePolicy's overview), so the last notification applies the latest count.
     *
     * Dormant workers (host scope only; 0 under jvm scope). A second word, written by host scope's tick alone,
     * holds the counted workers found parked at Governor.DORMANT_LOOKS consecutive looks (high 32 bits) and the
     * shares they hold (low 32): a snapshot renewed at every look, not a count kept on transitions, so nothing can
     * leak. Readers subtract it from the state they loaded; the two loads are not one atomic read, and a dormant
     * worker that wakes or ends stays subtracted until the next look (10 ms): the count may then be one worker low.
     */

    private static final long DRAINING = 1L << 31;
    private static final long SHARES = DRAINING - 1;

    private final AtomicLong state = new AtomicLong();
    private volatile long dormant;
    private volatile boolean counting;
    private volatile boolean everCounted;

    BusyWorkers(boolean counting) {
        this.counting = counting;
    }

    /** Whether busy periods are counted now (once on, stays on). */
    boolean counting() {
        return counting;
    }

    /** From now on, busy periods are counted. */
    void startCounting() {
        counting = true;
    }

    /** True once a busy period was counted: {@link #busy()} is then the live count. */
    boolean everCounted() {
        return everCounted;
    }

    /** Governed workers running a task now. */
    int busy() {
        return Math.max(0, (int) (state.get() >> 32));
    }

    /**
     * The process-wide native thread count for the busy workers now, under {@code budget} (one atomic load),
     * leaving out the dormant ones.
     */
    int processWideThreads(int budget) {
        long s = state.get();
        long d = dormant;
        int workers = Math.max(0, (int) (s >> 32) - (int) (d >>> 32));
        int shares = Math.max(0, (int) (s & SHARES) - (int) d);
        return SharePolicy.processWideThreads(budget, workers, shares, (s & DRAINING) != 0);
    }

    /**
     * Host scope's look: {@code workers} counted workers holding {@code shares} are dormant now. Returns whether
     * that changed.
     */
    boolean dormant(int workers, int shares) {
        long d = ((long) workers << 32) | shares;
        if (d == dormant) {
            return false;
        }
        dormant = d;
        return true;
    }

    /** The dormant workers now (0 under jvm scope). */
    int dormantWorkers() {
        return (int) (dormant >>> 32);
    }

    /** {@code busy} busy workers and callers less the dormant ones: those that compute. */
    int computing(int busy) {
        return Math.max(0, busy - dormantWorkers());
    }

    /**
     * Counts the busy period {@code ws}, the current worker, starts now, with what it holds by its pool's
     * semantics ({@link SharePolicy#busyShare}); returns the busy workers now.
     */
    int add(WorkerState ws) {
        PoolDecision d = ws.decision;
        ws.counted = true;
        ws.countedShare = SharePolicy.busyShare(d.semantics(), d.share(), d.creatorShare());
        int b = (int) (change(1, ws.countedShare, false) >> 32);
        if (!everCounted) {
            everCounted = true;
        }
        return b;
    }

    /**
     * Ends the counted busy period of {@code ws}, the current worker; {@code drained}: it goes idle because
     * nothing is queued for it. Returns the busy workers now, or -1 when this period was not counted (it began
     * before counting started): only a counted period is uncounted.
     */
    int remove(WorkerState ws, boolean drained) {
        if (!ws.counted) {
            return -1;
        }
        ws.counted = false;
        return Math.max(0, (int) (change(-1, -ws.countedShare, drained) >> 32));
    }

    /**
     * Counts a thread outside the governed pools (or a worker its pool does not count now) that enters a native
     * BLAS call holding {@code share}; returns the busy count now. Callers compete for the cores as busy workers
     * do, but do not say whether a pool's batch drains: the DRAINING bit stays as it was.
     */
    int addCaller(int share) {
        return (int) (keeping(1, share) >> 32);
    }

    /** Ends a caller's count added by {@link #addCaller} with the same {@code share}; returns the busy count now. */
    int removeCaller(int share) {
        return Math.max(0, (int) (keeping(-1, -share) >> 32));
    }

    private long keeping(int workers, int shares) {
        return update(workers, shares, -1L, 0L);
    }

    /**
     * Adds {@code workers} busy workers holding {@code shares} in one atomic step, and records what this last
     * change was: a worker going idle with nothing queued sets DRAINING; any other change clears it.
     */
    private long change(int workers, int shares, boolean drained) {
        return update(workers, shares, ~DRAINING, drained ? DRAINING : 0L);
    }

    /** The one CAS loop: adds the counts to the word, its bits masked by {@code keep} and then {@code set}. */
    private long update(int workers, int shares, long keep, long set) {
        long delta = ((long) workers << 32) + shares;
        for (;;) {
            long s = state.get();
            long next = ((s & keep) + delta) | set;
            if (state.compareAndSet(s, next)) {
                return next;
            }
        }
    }
}
