package io.threadgov.agent;

/**
 * The part of the agent's start that the application need not wait for, unless it governs something
 * first: retransforming the classes loaded before the agent ({@code java.lang.Runtime}, which loads ASM
 * and the instrumenters) and the native layer's first scan. It runs on the {@code threadgov-init}
 * thread (after a short delay, see {@link #awaitNeedOrTimeout}), or on the application's thread that first
 * creates a pool or loads a library, whichever comes first. So {@code java -javaagent:... Hello} does not
 * pay for it before {@code main}, and a workload that builds its pools at once is governed exactly as if
 * it had been done in premain.
 *
 * <p>A native library loaded before the retransformation of {@code Runtime} took effect is not announced;
 * the native layer's first scan, which runs after it, finds it in {@code /proc/self/maps}.
 */
final class DeferredStart {

    /*
     * Concurrency. The work runs outside the monitor, on the thread that claimed it (runner); done is
     * volatile, written under the monitor after the work, and the fast path is one volatile read.
     *
     * The work can wait for an application thread: its native layer loads JNA's dispatch library, and the
     * JDK serialises System.load on one lock for every class loader. An application thread inside
     * System.load (a JNI_OnLoad that calls back into Java, as JavaCPP's does, and loads the next library)
     * holds that lock when it reaches a library hook. So a library hook never waits for a runner on
     * another thread: it records that an event was missed and returns, and the runner, after the work and
     * before it marks the start done, calls the rescan (again while events were missed meanwhile), which
     * reads the process's maps again. A pool hook waits for the runner, but at most
     * POOL_WAIT_MS: then the pool is governed without the native layer's first scan rather than never.
     * ThreadGov's native calls (GATE) wait the same way, at most API_WAIT_MS.
     * The runner re-entering a hook (a load made by the work itself) goes straight on.
     */

    /** The longest a pool hook waits for the work running on another thread. */
    static final long POOL_WAIT_MS = 2000;
    /**
     * The longest ThreadGov's native calls wait for it: they ask for the native state itself, and the
     * start can take seconds on a loaded machine (a pool hook that gave up at POOL_WAIT_MS went on).
     */
    static final long API_WAIT_MS = 10_000;

    private static volatile boolean done = true;
    private static Runnable work;
    private static Runnable rescan;
    private static Thread runner;
    private static boolean needed;
    private static boolean missed;

    private DeferredStart() {
    }

    /** Installs the work, and what runs after it when a library hook went on without it. */
    static synchronized void schedule(Runnable w, Runnable afterMissed) {
        work = w;
        rescan = afterMissed;
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

    /** {@link #ensureDone} as a Runnable, for {@code Governor.awaitStart} (ThreadGov's native calls). */
    static final Runnable GATE = new Runnable() {
        @Override
        public void run() {
            if (!done) {
                finish(true, API_WAIT_MS);
            }
        }
    };

    /** For pool hooks: runs the work here, or waits (bounded) for the thread running it. */
    static void ensureDone() {
        if (!done) {
            finish(true, POOL_WAIT_MS);
        }
    }

    /**
     * For library hooks: true once the work has run (here, if nobody had started it); false, without
     * waiting, while another thread runs it: the event is remembered and the rescan follows the work.
     */
    static boolean doneOrMissed() {
        return done || finish(false, 0);
    }

    /**
     * The runner, after the work: rescans while a library hook went on without it, and only then marks the
     * start done (a pool hook that waited for it finds the libraries loaded meanwhile governed).
     */
    private static void finishRun() {
        while (true) {
            Runnable r;
            synchronized (DeferredStart.class) {
                if (!missed || rescan == null) {
                    runner = null;
                    done = true;
                    missed = false;
                    rescan = null;
                    DeferredStart.class.notifyAll();
                    return;
                }
                missed = false;
                r = rescan;
            }
            r.run();
        }
    }

    private static boolean finish(boolean wait, long waitMs) {
        Runnable w;
        synchronized (DeferredStart.class) {
            needed = true;
            DeferredStart.class.notifyAll();
            if (done || runner == Thread.currentThread()) {
                return true;
            }
            if (runner != null) {
                if (!wait) {
                    missed = true;
                    return false;
                }
                long end = System.nanoTime() + waitMs * 1_000_000L;
                long left;
                while (!done && (left = end - System.nanoTime()) > 0) {
                    try {
                        DeferredStart.class.wait(Math.max(1, left / 1_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the application's interrupt, kept
                        break;
                    }
                }
                if (!done) {
                    io.threadgov.governor.Log.debug("went on without waiting longer than " + waitMs + " ms for the agent's start");
                }
                return done;
            }
            w = work;
            work = null;
            runner = Thread.currentThread();
        }
        try {
            if (w != null) {
                w.run();
            }
        } finally {
            finishRun();
        }
        return true;
    }
}
