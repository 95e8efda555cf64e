package io.threadgov.bootstrap;

/**
 * What the advice inlined into JDK classes calls, implemented by the agent. Loaded by the bootstrap
 * class loader, so it may name only JDK types. Every method is called with the host's locks held
 * possibly, on the host's threads: implementations return quickly and never throw.
 */
public interface Hooks {

    /** A ForkJoinPool is being constructed with {@code parallelism}; returns a decision token or null. */
    Object forkJoinDecide(int parallelism);

    /** A ThreadPoolExecutor is being constructed; returns a decision token or null. */
    Object threadPoolDecide(int core, int max, java.util.concurrent.BlockingQueue<?> queue);

    /** The size to build the pool with for a token, or -1 to leave it. */
    int sizeOf(Object token);

    /** The pool's constructor returned. */
    void poolCreated(Object pool, Object token);

    /** The current thread starts its run loop as a worker of {@code pool}. */
    void workerStart(Object pool);

    /** The current thread leaves its run loop. */
    void workerEnd();

    /** The current worker got a task. */
    void taskStart();

    /** The current worker is about to wait for a task. */
    void taskIdle();

    /** A native library may have been loaded ({@code what}: a name or path, or null). */
    void libraryLoaded(String what);
}
