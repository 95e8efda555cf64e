package io.threadgov.bootstrap;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one class the instrumented JDK code calls. It is defined by the bootstrap class loader so that
 * code inserted into {@code java.util.concurrent} can see it, and it knows nothing but {@link Hooks}:
 * until the agent sets {@link #hooks}, and whenever a hook throws, the JDK behaves as if the agent were
 * absent. Every exception is swallowed here and counted in {@link #SUPPRESSED}; the first one is one
 * line on stderr. (The one exception: {@link #gemm}, whose hook counts its own failures and lets only the
 * application's own native errors through.)
 */
public final class Bridge {

    /** The agent's hooks; null while inactive. Written by the agent, read racily by the inserted code. */
    public static volatile Hooks hooks;

    /**
     * Whether submissions to ThreadPoolExecutors are told to the hooks: false until the governor cut a pool that
     * its users may re-decide, so an application without one pays one volatile read per submission.
     */
    public static volatile boolean submissions;

    /** Exceptions swallowed by the inserted code. */
    public static final AtomicLong SUPPRESSED = new AtomicLong();

    private Bridge() {
    }

    /** Counts a swallowed exception and reports the first. */
    public static void suppressed(Throwable t) {
        try {
            if (SUPPRESSED.incrementAndGet() == 1) {
                System.err.println("threadgov: instrumented code failed, the application runs on: " + t);
            }
        } catch (Throwable ignored) {
            // nothing left to report it with; it was counted
        }
    }

    public static int forkJoinEnter(int parallelism) {
        Hooks h = hooks;
        if (h == null) {
            return parallelism;
        }
        try {
            int n = h.forkJoinEnter(parallelism);
            // a safety net only: which pools are cut, and to what, is decided by the governor's SharePolicy.
            // Here: never grow a pool, never make a call that would throw succeed (parallelism > 0x7fff throws)
            return n > 0 && n <= parallelism && parallelism <= 0x7fff ? n : parallelism;
        } catch (Throwable t) {
            suppressed(t);
            return parallelism;
        }
    }

    public static int threadPoolEnter(int core, int max, BlockingQueue<?> queue) {
        Hooks h = hooks;
        if (h == null) {
            return core;
        }
        try {
            int n = h.threadPoolEnter(core, max, queue);
            // a safety net only: the resize rule (fixed pools only) lives in the governor's SharePolicy. Here:
            // never grow a pool, never make a call that would throw succeed (the constructor needs core <= max)
            return n > 0 && n <= core && core <= max ? n : core;
        } catch (Throwable t) {
            suppressed(t);
            return core;
        }
    }

    public static int threadPoolMax(int max) {
        Hooks h = hooks;
        if (h == null) {
            return max;
        }
        try {
            int n = h.threadPoolMax(max);
            return n > 0 && n <= max ? n : max; // a safety net only (see threadPoolEnter): never grown
        } catch (Throwable t) {
            suppressed(t);
            return max;
        }
    }

    public static void poolCreated(Object pool) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.poolCreated(pool);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void workerStart(Object pool) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.workerStart(pool);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void workerEnd() {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.workerEnd();
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void taskStart() {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.taskStart();
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    /**
     * {@code getTask} returned {@code task}: unless it got none, the worker is busy and about to run it, told in
     * one call (outside the worker's lock: admission may wait here).
     */
    public static void taskGot(Object task) {
        if (task == null) {
            return;
        }
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.taskGot(task);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    /** A ThreadPoolExecutor worker's first task, read at its run loop's start (null when it has none). */
    public static void taskFirst(Object task) {
        if (task != null) {
            taskRunning(task);
        }
    }

    public static void taskRunning(Object task) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.taskRunning(task);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void poolSubmitted(Object pool) {
        if (!submissions) {
            return;
        }
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.poolSubmitted(pool);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void futureCompleting(Object future) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.futureCompleting(future);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void taskIdle() {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.taskIdle();
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void taskMaybeIdle(Object pool) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.taskMaybeIdle(pool);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void futureAwait(Object future, boolean timed) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.futureAwait(future, timed);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void futureAwaitDone() {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.futureAwaitDone();
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static int streamLeafTarget(int leafTarget) {
        Hooks h = hooks;
        if (h == null) {
            return leafTarget;
        }
        try {
            int n = h.streamLeafTarget(leafTarget);
            return n >= 1 && n < leafTarget ? n : leafTarget; // never split finer than the JDK would
        } catch (Throwable t) {
            suppressed(t);
            return leafTarget;
        }
    }

    public static void platformMBeanServer(Object server) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.platformMBeanServer(server);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void libraryLoading(String what) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.libraryLoading(what);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    public static void libraryLoaded(String what) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.libraryLoaded(what);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    /**
     * The entry of a governed native BLAS call (see {@code NativeCallsTransformer}): returns the token that
     * {@link #nativeExit} takes, 0 when nothing was counted.
     */
    public static int nativeEnter() {
        Hooks h = hooks;
        if (h == null) {
            return 0;
        }
        try {
            return h.nativeEnter();
        } catch (Throwable t) {
            suppressed(t);
            return 0;
        }
    }

    /** The exit of the native call {@link #nativeEnter} returned {@code token} for, also when it threw. */
    public static void nativeExit(int token) {
        if (token == 0) {
            return;
        }
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.nativeExit(token);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    /** The current thread runs the worker loop of a pool of another library ({@code kind}: its key). */
    public static void foreignThread(Object hooked, String kind) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.foreignThread(kind, hooked);
        } catch (Throwable t) {
            suppressed(t);
        }
    }

    /**
     * The entry of JavaCPP's {@code cblas_dgemm} (see {@code NativeCallsTransformer}):
     * true when the agent ran the product as row blocks; false, the caller makes its one native call. The
     * hook catches and counts its own failures (false, before any block ran); what a block's native call
     * throws reaches the application, as the one call's would have.
     */
    public static boolean gemm(Class<?> owner, int order, int transA, int transB, int m, int n,
                               int k, double alpha, Object a, int lda, Object b, int ldb, double beta, Object c,
                               int ldc) {
        Hooks h = hooks;
        return h != null && h.gemm(owner, order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
