package io.threadgov.governor;

/** What the governor knows of one thread that works for a governed pool. Touched only by that thread. */
final class WorkerState {
    final PoolDecision pool;
    boolean busy;
    /** This busy period was added to the busy-worker count (counting may start while a task runs). */
    boolean counted;
    int nativeGeneration = -1;

    WorkerState(PoolDecision pool) {
        this.pool = pool;
    }
}
