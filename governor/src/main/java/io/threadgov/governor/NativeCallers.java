package io.threadgov.governor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the threads inside governed native BLAS calls that no busy pool worker accounts for (main, plain threads,
 * web server and coroutine threads): how many at once, the most at once, and how many calls; for the report.
 */
final class NativeCallers {

    private final LongAdder entries = new LongAdder();
    private final AtomicInteger now = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    /** A caller entered; returns how many are inside now. */
    int entered() {
        entries.increment();
        int n = now.incrementAndGet();
        int p = peak.get();
        while (n > p && !peak.compareAndSet(p, n)) {
            p = peak.get();
        }
        return n;
    }

    /** A caller left. */
    void exited() {
        now.decrementAndGet();
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
