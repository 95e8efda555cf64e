package io.threadgov.kernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-phase wall times of one or more executions of a kernel (milliseconds). */
public final class PhaseTimes {
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    /** Records one sample of a phase. */
    public synchronized void record(String phase, long startNanos, long endNanos) {
        samples.computeIfAbsent(phase, k -> new ArrayList<>()).add((endNanos - startNanos) / 1e6);
    }

    /** Moves this execution's samples into {@code into}. */
    public synchronized void drainInto(PhaseTimes into) {
        samples.forEach((k, v) -> v.forEach(ms -> into.add(k, ms)));
        samples.clear();
    }

    private synchronized void add(String phase, double ms) {
        samples.computeIfAbsent(phase, k -> new ArrayList<>()).add(ms);
    }

    /** Median per phase. */
    public synchronized Map<String, Double> medians() {
        Map<String, Double> out = new LinkedHashMap<>();
        samples.forEach((k, v) -> out.put(k, KernelRunner.median(v)));
        return out;
    }
}
