package io.threadgov.bootstrap;

/**
 * What the code inserted into JDK classes calls, implemented by the agent. Loaded by the bootstrap
 * class loader, so it may name only JDK types. Called on the host's threads, possibly with the host's
 * locks held: implementations return quickly and never throw.
 */
public interface Hooks {

    /** A ForkJoinPool is being constructed; returns the parallelism to build it with. */
    int forkJoinEnter(int parallelism);

    /** A ThreadPoolExecutor is being constructed; returns the core size to build it with. */
    int threadPoolEnter(int core, int max, java.util.concurrent.BlockingQueue<?> queue);

    /** The maximum size to build the pool of the last {@link #threadPoolEnter} on this thread with. */
    int threadPoolMax(int max);

    /** The pool's constructor returned. */
    void poolCreated(Object pool);

    /** The current thread starts its run loop as a worker of {@code pool}. */
    void workerStart(Object pool);

    /** The current thread leaves its run loop. */
    void workerEnd();

    /** The current worker got a task. */
    void taskStart();

    /** The current worker of a ThreadPoolExecutor is about to run {@code task}. */
    void taskRunning(Object task);

    /** The current worker of a ThreadPoolExecutor got {@code task} from its queue: taskStart, then taskRunning. */
    void taskGot(Object task);

    /** The current thread submits a task to the ThreadPoolExecutor {@code pool} (its execute's entry). */
    void poolSubmitted(Object pool);

    /** {@code future} (a FutureTask) completes on the current thread: its outcome is about to be published. */
    void futureCompleting(Object future);

    /** The current worker is about to wait for a task. */
    void taskIdle();

    /** The current worker of {@code pool} asks for its next task (idle unless one is waiting). */
    void taskMaybeIdle(Object pool);

    /** The current thread is about to block in {@code get()} of {@code future} (a FutureTask not done). */
    void futureAwait(Object future, boolean timed);

    /** The current thread returns from the wait of {@link #futureAwait}. */
    void futureAwaitDone();

    /** A parallel stream on the current thread aims at {@code leafTarget} leaves; returns the number to aim at. */
    int streamLeafTarget(int leafTarget);

    /** {@code ManagementFactory.getPlatformMBeanServer()} is returning {@code server}: it exists now. */
    void platformMBeanServer(Object server);

    /** A native library is about to be loaded ({@code what}: a name or path, or null). */
    void libraryLoading(String what);

    /** A native library may have been loaded ({@code what}: a name or path, or null). */
    void libraryLoaded(String what);

    /**
     * The application calls JavaCPP's {@code cblas_dgemm} of {@code owner}, whose native is renamed: returns
     * true when the product ran here as row blocks, false when the caller is to make the one native call.
     * May throw only what a block's native call threw.
     */
    boolean gemm(Class<?> owner, int order, int transA, int transB, int m, int n, int k,
                 double alpha, Object a, int lda, Object b, int ldb, double beta, Object c, int ldc);

    /** A thread enters a governed native BLAS call; returns the token {@link #nativeExit} takes (0: nothing counted). */
    int nativeEnter();

    /** The thread left the native call that {@link #nativeEnter} returned {@code token} for. */
    void nativeExit(int token);

    /** The current thread runs the worker loop of another library's pool of {@code kind}; {@code hooked}: the pool or its member. */
    void foreignThread(String kind, Object hooked);
}
