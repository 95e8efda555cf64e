package io.threadgov.governor;

/**
 * The governing model of DESIGN.md as pure functions: which pools may be resized, how large a pool may be and
 * what share of the budget each of its workers gets. No state, no clock, no threads: unit-testable by itself.
 *
 * <p>It is the one place of the resize rule: only pools whose semantics survive a size change are resized
 * ({@link #resizable}), only ever cut, never grown ({@link #sizeToBuild(PoolDecision, int)}). The agent's hooks
 * apply what it returns; the bootstrap bridge only clamps it (never larger, never a call that would throw made
 * to succeed) as a safety net.
 */
public final class SharePolicy {

    /**
     * A mixed pool's headroom: threads for twice its share of computing. n = s / D threads compute s at a time
     * on average, but its tasks compute in bursts, and the share idles whenever fewer than the average compute
     * at once; measured, 2 beat 1 (the figures: DESIGN.md, section 9, "Grant by demand").
     */
    static final int MIXED_HEADROOM = 2;
    private SharePolicy() {
    }

    /** A worker of a pool of parallelism {@code granted}, created on a thread of share {@code s}: max(1, s / g). */
    public static int workerShare(int creatorShare, int granted) {
        return Math.max(1, creatorShare / Math.max(1, granted));
    }

    /**
     * Whether threadgov may change the size of a pool of these semantics: a fixed ThreadPoolExecutor (core == max,
     * unbounded queue: at any size it accepts, runs and rejects the same tasks) and a ForkJoinPool. The common
     * pool too, by its own means: its size comes from the budget at start ({@link #commonPoolParallelism}), and
     * a run-time budget change may resize it on JDK 19+. A pool that starts threads with demand, or whose
     * maximum decides rejection, keeps what it asked for.
     */
    static boolean resizable(PoolSemantics semantics) {
        return semantics == PoolSemantics.FIXED || semantics == PoolSemantics.FORK_JOIN
                || semantics == PoolSemantics.COMMON;
    }

    /** The size a pool is built with: the granted size when the decision is applied (enforce mode), else what was asked. */
    public static int sizeToBuild(PoolDecision d) {
        return d.applied() ? d.granted() : d.requested();
    }

    /**
     * What a pool constructor's size argument {@code asked} (a ForkJoinPool's parallelism, a ThreadPoolExecutor's
     * core or maximum size) becomes under decision {@code d} (null: none): the size to build when the decision is
     * applied to a resizable pool and the argument is the size the pool requested, else the argument as given.
     * Never more than asked: a pool is cut, never grown. A fixed pool's core and maximum are the size it requested,
     * so both become the same size and the constructor's core &lt;= max still holds.
     */
    public static int sizeToBuild(PoolDecision d, int asked) {
        if (d == null || !d.applied() || !d.resizable() || d.requested() != asked) {
            return asked;
        }
        return Math.min(asked, d.granted());
    }

    /**
     * The common pool's parallelism under budget B: B - 1 workers, at least 1 (the JDK's own rule: the thread
     * that joins is the last worker); -1 under {@code pools=none}, which leaves it as the JDK sizes it.
     */
    public static int commonPoolParallelism(PoolScope scope, int budget) {
        if (scope == PoolScope.NONE) {
            return -1;
        }
        return Math.max(1, budget - 1);
    }

    /**
     * The parallelism granted to a pool: min(requested, creator's share) when the pool may be resized
     * (nested, or any pool under {@code pools=all}), else what was requested.
     */
    public static int grant(PoolScope scope, boolean nested, boolean resizable, int requested, int creatorShare) {
        if (!resizable || scope == PoolScope.NONE || (!nested && scope != PoolScope.ALL)) {
            return requested;
        }
        return Math.max(1, Math.min(requested, creatorShare));
    }

    /**
     * The parallelism a resizable pool of measured {@code demand} gets (see {@link PoolDemand}): its creator's
     * share while it computes or is unknown; what it asked for when it waits; between the two, threads for
     * {@link #MIXED_HEADROOM} times its share of computing, {@code ceil(2 * creatorShare / demand)}, at most what
     * it asked for.
     */
    public static int grantForDemand(int requested, int creatorShare, double demand) {
        int cut = Math.max(1, Math.min(requested, creatorShare));
        switch (PoolDemand.of(demand)) {
            case WAITS:
                return Math.max(1, requested);
            case MIXED:
                return Math.max(cut, (int) Math.min(requested, Math.ceil(MIXED_HEADROOM * creatorShare / demand)));
            default:
                return cut;
        }
    }

    /**
     * What a ThreadPoolExecutor of these arguments is: only a fixed pool (core == max, unbounded queue) keeps
     * its semantics when its size changes, since no task is ever rejected for want of a thread.
     */
    public static PoolSemantics threadPoolSemantics(int core, int max, long queueCapacity) {
        if (queueCapacity < Integer.MAX_VALUE) {
            return queueCapacity == 0 ? PoolSemantics.HANDOFF : PoolSemantics.BOUNDED_QUEUE;
        }
        if (core != max) {
            return core == 0 ? PoolSemantics.CACHED : PoolSemantics.ELASTIC;
        }
        return PoolSemantics.FIXED;
    }

    /** The parallelism a ThreadPoolExecutor asks for: core threads with an unbounded queue, else max. */
    public static int threadPoolRequested(int core, int max, long queueCapacity) {
        if (queueCapacity >= Integer.MAX_VALUE) {
            return Math.max(1, core);
        }
        return Math.max(1, max);
    }

    /**
     * The process-wide native thread count when only a process-wide setter exists: the whole budget when no
     * governed worker is busy; else the cores the busy workers hold (the sum of their shares, at most the
     * budget), split among them. A lone busy worker of a pool of 8 on 2 cores runs at its share, 1, so the
     * first task of a batch does not run at 2 while its siblings are still being woken.
     */
    public static int processWideThreads(int budget, int busyWorkers, int busyShares) {
        if (busyWorkers <= 0) {
            return Math.max(1, budget);
        }
        return Math.max(1, Math.min(budget, busyShares) / busyWorkers);
    }

    /**
     * As {@link #processWideThreads(int, int, int)}, after the last change of the busy workers: when it was
     * a worker going idle ({@code draining}: its pool had nothing queued for it), no sibling is about to be
     * woken, so the busy workers are the tail of their batch and split the whole budget among them (the last
     * large task of an unbalanced pool gets the cores the others left); after a worker became busy, each
     * holds its share.
     */
    public static int processWideThreads(int budget, int busyWorkers, int busyShares, boolean draining) {
        if (draining && busyWorkers > 0) {
            return Math.max(1, budget / busyWorkers);
        }
        return processWideThreads(budget, busyWorkers, busyShares);
    }

    /**
     * What a busy worker of a pool holds for {@link #processWideThreads(int, int, int)}: its share in a pool
     * of fixed parallelism (fixed, ForkJoin, the common pool), which its siblings are about to fill; in a
     * pool that grows with demand (cached, elastic, handoff, bounded queue, scheduled) its busy workers are
     * the demand, so each holds what the creating thread held, and they split it among them.
     */
    public static int busyShare(PoolSemantics semantics, int share, int creatorShare) {
        boolean fixedParallelism = semantics == PoolSemantics.FIXED || semantics == PoolSemantics.FORK_JOIN
                || semantics == PoolSemantics.COMMON;
        return Math.max(1, fixedParallelism ? share : creatorShare);
    }

    /** As {@link #processWideThreads(int, int, int)} when the busy workers' shares are unknown: each holds the budget. */
    public static int processWideThreads(int budget, int busyWorkers) {
        return Math.max(1, budget / Math.max(1, busyWorkers));
    }
}
