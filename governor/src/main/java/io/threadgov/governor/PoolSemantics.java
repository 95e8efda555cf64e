package io.threadgov.governor;

/**
 * How a pool behaves when its size changes: what its class and arguments make of it. Whether threadgov may
 * resize a pool of each kind is decided in one place, {@link SharePolicy#resizable(PoolSemantics)}.
 */
public enum PoolSemantics {
    /** A ThreadPoolExecutor with core == max and an unbounded queue: any size runs the same tasks. */
    FIXED("fixed"),
    /** A ForkJoinPool (not the common pool). */
    FORK_JOIN("forkjoin"),
    /** The common ForkJoinPool, sized at start from the budget (the JDK's property), not per creator. */
    COMMON("common"),
    /** A ThreadPoolExecutor whose queue holds nothing (SynchronousQueue: newCachedThreadPool): it starts a thread per task. */
    HANDOFF("handoff"),
    /** A ThreadPoolExecutor with a bounded queue: its maximum decides which tasks are rejected. */
    BOUNDED_QUEUE("bounded-queue"),
    /** A ThreadPoolExecutor with an unbounded queue and core 0. */
    CACHED("cached"),
    /** A ThreadPoolExecutor with an unbounded queue and core != max (ScheduledThreadPoolExecutor). */
    ELASTIC("elastic");

    private final String key;

    PoolSemantics(String key) {
        this.key = key;
    }

    /** The name in the report, the JFR events and the MXBean. */
    public String key() {
        return key;
    }
}
