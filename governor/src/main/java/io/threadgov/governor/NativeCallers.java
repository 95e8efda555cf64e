package io.threadgov.governor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads inside governed native BLAS calls that no busy pool worker accounts for (main, plain threads, web server
 * and coroutine threads): when the process-wide count, lowered while several called at once, may rise again; and how
 * many there were, for the report.
 */
final class NativeCallers {

    /*
     * When to raise. Callers are counted busy for the length of each call (Governor.nativeEnter), so the count falls
     * as soon as a second caller enters. Raising it as soon as callers leave would be wrong: a caller that leaves while
     * others compute, or leaves last, is most often between two calls of its own loop (a coroutine worker's next task,
     * a server thread's next request), and a call entering in that gap would start at more threads than the cores
     * left to it once the others are back (two Kotlin workers in step ran 2x slower than OPENBLAS_NUM_THREADS=1).
     * A raise helps no call already running (OpenBLAS reads its count at a call's entry). So the count rises again
     *  - for a caller entering alone once no two callers have been inside at once for GRACE (a lone main, the last
     *    of a group of threads, one request at a time): its calls after that run at the budget;
     *  - GRACE after the callers all left, if none came back (the raiser thread; so that a thread calling BLAS
     *    through a binding threadgov does not wrap finds the budget again);
     *  - and through the pool workers' own transitions, as before.
     *
     * Concurrency. lastContended is written by callers that enter while another is inside (never by a lone caller),
     * lowered likewise and cleared by the raiser; both are read racily: a stale value delays a raise by at most one
     * GRACE or lets one call start at the budget early. raiseAt is a deadline the raiser thread sleeps to; it re-reads
     * the busy count itself when it wakes.
     */

    /**
     * How long no two callers may have been inside at once before the count rises for a lone one. 20 ms, not 5: a
     * Jetty server under 16 clients had its callers all out for 5 ms now and then (its selector and the load
     * generator share the cores), and each raise let the next burst start at the budget: 1.29 of
     * OPENBLAS_NUM_THREADS=1 at 5 ms, 1.00 at 20 ms (BENCHMARKS.md, "Outer parallelism the JDK does not pool").
     */
    static final long GRACE_NANOS = 20_000_000L;

    private final LongAdder entries = new LongAdder();
    private final AtomicInteger now = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private volatile long lastContended = Long.MIN_VALUE / 2;
    private volatile boolean lowered;
    private volatile long raiseAt;
    private volatile Thread raiser;

    /** A caller entered, leaving {@code busy} counted with it. */
    void entered(int busy) {
        entries.increment();
        if (busy >= 2) {
            lastContended = System.nanoTime();
            if (!lowered) {
                lowered = true;
            }
        }
        int n = now.incrementAndGet();
        int p = peak.get();
        while (n > p && !peak.compareAndSet(p, n)) {
            p = peak.get();
        }
    }

    /** Whether a caller entering now, {@code busy} counted with it, may have the count raised (see the overview). */
    boolean mayRaise(int busy) {
        return busy == 1 && System.nanoTime() - lastContended > GRACE_NANOS;
    }

    /**
     * A caller left, leaving {@code busy} counted; when none is and the count was lowered, {@code raise} runs GRACE
     * later on the raiser thread (started at the first need), which raises it if the callers all stayed out.
     */
    void exited(int busy, Runnable raise) {
        now.decrementAndGet();
        if (busy != 0 || !lowered) {
            return; // a lone caller's loop writes nothing
        }
        raiseAt = System.nanoTime() + GRACE_NANOS;
        Thread r = raiser;
        if (r == null) {
            startRaiser(raise);
        } else {
            LockSupport.unpark(r);
        }
    }

    private synchronized void startRaiser(Runnable raise) {
        if (raiser != null) {
            LockSupport.unpark(raiser);
            return;
        }
        Thread t = new Thread(() -> {
            for (;;) {
                long due = raiseAt;
                long wait = due - System.nanoTime();
                if (due == 0) {
                    LockSupport.park(this);
                } else if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                } else {
                    raiseAt = 0;
                    lowered = false;
                    try {
                        raise.run();
                    } catch (Throwable e) {
                        Log.failure("native callers", e);
                    }
                }
            }
        }, "threadgov-native-raise");
        t.setDaemon(true);
        raiser = t;
        t.start();
    }

    /** The report's {@code native_callers}: entries, peak, now. */
    Map<String, Object> counters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entries", entries.sum());
        m.put("peak", peak.get());
        m.put("now", Math.max(0, now.get()));
        return m;
    }
}
