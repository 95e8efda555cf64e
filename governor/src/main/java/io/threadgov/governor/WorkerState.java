package io.threadgov.governor;

/**
 * What the governor knows of one thread that works for a governed pool. Touched only by that thread, except
 * the admission fields (see {@link CpuAdmission}): {@code holding}, {@code holdGen} and {@code holdSince}
 * change under the admission's lock, the marks only in the admission's scan.
 */
final class WorkerState {
    /** The decision of the pool this worker runs for. */
    final PoolDecision decision;
    final Thread thread = Thread.currentThread();
    /** This worker holds one of the budget's cores from the CPU admission. */
    volatile boolean holding;
    /** Bumped at each grant, so a scan's verdict applies only to the holding it looked at. */
    volatile int holdGen;
    volatile long holdSince;
    /** A holder between two tasks (inside getTask): if the scan finds it waiting there, it is idle, not blocking. */
    volatile boolean betweenTasks;
    /** Tasks started under the current holding (written by this thread, moved to the pool's count at its end). */
    volatile long heldTasks;
    /** The current holding was given over the budget (an overdue or interrupted waiter): its tasks are no sign of progress. */
    volatile boolean overBudget;
    /** Granted a core while parked in the admission, and not yet back from it. */
    volatile boolean waking;
    /** The scan's last look at this holder (scan only). */
    int markGen = -1;
    long markCpu;
    long markWall;
    /** The kernel's id of this thread, read at its first admission (0: not yet, -1: unknown). */
    volatile int tid;
    int strikes;
    boolean busy;
    /** The share added to the busy-share sum when this busy period was counted (removed at its end). */
    int countedShare;
    /** The task this worker runs now (set before beforeExecute), until it completes or the next one. */
    Object currentTask;
    /** The pool this worker runs for (the executor itself). */
    Object pool;
    /** This busy period was added to the busy-worker count (counting may start while a task runs). */
    boolean counted;
    int nativeGeneration = -1;
    /** Uncounted for the length of a Future wait (futureAwait), counted again when it returns. */
    boolean awaitUncounted;
    /** Demand sampling (this thread only): the running sample's start (0: none), its run and run-queue time then. */
    long sampleAt;
    /** The running sample holds one of its pool's first-task claims (PoolDemand.claimFirst). */
    boolean sampleClaimed;
    /** TaskSampler's load epoch when the running sample started. */
    int sampleLoadEpoch;
    long sampleRan;
    long sampleQueued;
    long sampleSwitches;
    long lastSampleEnd;
    int tasksSeen;
    /** Host scope's tick only: its consecutive looks that found this worker parked (Governor.computingThreads). */
    int parkedLooks;
    /** A thread of another library's pool (ForeignPools): it runs no JDK pool's tasks and is never counted busy. */
    boolean foreign;

    WorkerState(PoolDecision decision) {
        this.decision = decision;
    }
}
