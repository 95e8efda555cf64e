package io.threadgov.agent;

/**
 * The part of the agent's start that the application need not wait for, unless it governs something
 * first: retransforming the classes loaded before the agent ({@code java.lang.Runtime}, which loads ASM
 * and the instrumenters) and the native layer's first scan. It runs on the {@code threadgov-init}
 * thread (after a short delay, see {@link #awaitNeedOrTimeout}), or on the application's thread that first
 * creates a pool or loads a library, whichever comes first; the other waits until it is done. So {@code java -javaagent:... Hello} does not pay for it
 * before {@code main}, and a workload that builds its pools at once is governed exactly as if it had
 * been done in premain.
 *
 * <p>A native library loaded before the retransformation of {@code Runtime} took effect is not announced;
 * the native layer's first scan, which runs after it, finds it in {@code /proc/self/maps}.
 *
 * <p>Concurrency: {@code done} is volatile and written last, in a finally, under the class monitor; the
 * fast path is one volatile read. The work never waits for an application thread (it loads only JDK and
 * agent classes), so an application thread waiting on the monitor cannot deadlock with it. A reentrant
 * call on the thread running the work (a pool created by the work itself) returns at once.
 */
final class DeferredStart {

    private static volatile boolean done = true;
    private static Runnable work;
    private static Thread runner;
    private static boolean needed;

    private DeferredStart() {
    }

    /** Installs the work; until it ran, {@link #ensureDone} runs or waits for it. */
    static synchronized void schedule(Runnable w) {
        work = w;
        done = false;
    }

    /**
     * On threadgov-init: waits until an application thread needed the deferred work or {@code millis}
     * passed, whichever is first. A program that ends sooner, and creates no pool and loads no library
     * before, never pays for the work (a {@code Hello} under the agent runs about as long as under an
     * agent that does nothing).
     */
    static void awaitNeedOrTimeout(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        synchronized (DeferredStart.class) {
            long left;
            while (!done && !needed && (left = end - System.nanoTime()) > 0) {
                DeferredStart.class.wait(Math.max(1, left / 1_000_000L));
            }
        }
    }

    /** Returns once the deferred work has run (runs it on this thread if nobody has started it). */
    static void ensureDone() {
        if (done) {
            return;
        }
        synchronized (DeferredStart.class) {
            needed = true;
            DeferredStart.class.notifyAll();
            if (done || runner == Thread.currentThread()) {
                return;
            }
            Runnable w = work;
            work = null;
            runner = Thread.currentThread();
            try {
                if (w != null) {
                    w.run();
                }
            } finally {
                runner = null;
                done = true;
            }
        }
    }
}
