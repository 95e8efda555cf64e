package io.threadgov.bootstrap;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one class the instrumented JDK code calls. It sits on the bootstrap class path so that advice
 * inlined into {@code java.util.concurrent} can see it, and it knows nothing but {@link Hooks}: until
 * the agent sets {@link #hooks}, and whenever a hook throws, the JDK behaves as if the agent were absent.
 * Every exception is swallowed here and counted in {@link #SUPPRESSED}; the first one is one line on
 * stderr.
 */
public final class Bridge {

    /** The agent's hooks; null while inactive. Written once by the agent, read racily by advice. */
    public static volatile Hooks hooks;

    /** Exceptions swallowed by the advice and by this bridge. */
    public static final AtomicLong SUPPRESSED = new AtomicLong();

    private Bridge() {
    }

    /** Called by advice exception handlers and by this class: counts, and reports the first. */
    public static void suppressed(Throwable t) {
        try {
            if (SUPPRESSED.incrementAndGet() == 1) {
                System.err.println("threadgov: advice failed, the application runs on: " + t);
            }
        } catch (Throwable ignored) {
            // nothing left to report it with; counted above
        }
    }

    public static Object forkJoinDecide(int parallelism) {
        Hooks h = hooks;
        if (h == null) {
            return null;
        }
        try {
            return h.forkJoinDecide(parallelism);
        } catch (Throwable t) {
            suppressed(t);
            return null;
        }
    }

    public static Object threadPoolDecide(int core, int max, BlockingQueue<?> queue) {
        Hooks h = hooks;
        if (h == null) {
            return null;
        }
        try {
            return h.threadPoolDecide(core, max, queue);
        } catch (Throwable t) {
            suppressed(t);
            return null;
        }
    }

    public static int sizeOf(Object token) {
        Hooks h = hooks;
        if (h == null || token == null) {
            return -1;
        }
        try {
            return h.sizeOf(token);
        } catch (Throwable t) {
            suppressed(t);
            return -1;
        }
    }

    public static void poolCreated(Object pool, Object token) {
        Hooks h = hooks;
        if (h == null || token == null) {
            return;
        }
        try {
            h.poolCreated(pool, token);
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
}
