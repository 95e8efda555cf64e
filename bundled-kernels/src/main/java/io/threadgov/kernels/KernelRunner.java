package io.threadgov.kernels;

import io.threadgov.kernels.verify.VerifyJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Runs one kernel in this JVM: set-up, untimed executions ({@code kernel.warmup} and at least
 * {@code kernel.warmupMs}), then timed ones ({@code kernel.reps} and at least {@code kernel.repsMs}: a
 * short kernel runs more often, so its median is not one hiccup of a shared machine); reports the median wall time, the peak thread counts over the timed executions and the
 * checksum, as one machine-readable line {@code KERNEL_RESULT {json}} (what {@code verify} parses), written by
 * {@link VerifyJson.KernelResult}: the kernels jar writes and reads JSON in VerifyJson only.
 */
public final class KernelRunner {

    private KernelRunner() {
    }

    /** Runs {@code kernel} with the knobs of this JVM and prints its result lines to {@code out}. */
    public static int run(Kernel kernel, PrintStream out) throws Exception {
        Knobs knobs = Knobs.fromSystemProperties();
        out.println("kernel " + kernel.name() + ": " + kernel.description());
        out.println("knobs: " + knobs.describe() + " OPENBLAS_NUM_THREADS=" + env("OPENBLAS_NUM_THREADS")
                + " OMP_NUM_THREADS=" + env("OMP_NUM_THREADS") + " common.parallelism="
                + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        kernel.setUp(knobs);
        try (ThreadPeakSampler sampler = new ThreadPeakSampler()) {
            PhaseTimes scratch = new PhaseTimes();
            String checksum = null;
            boolean exact = true;
            boolean stable = true;
            long warmStart = System.nanoTime();
            for (int i = 0; i < knobs.warmup || (System.nanoTime() - warmStart) / 1_000_000 < knobs.warmupMillis; i++) {
                long t0 = System.nanoTime();
                Checksum c = kernel.runOnce(scratch);
                out.printf(Locale.ROOT, "warm-up %d: %.1f ms checksum %s%n", i + 1, (System.nanoTime() - t0) / 1e6, c.value());
                scratch = new PhaseTimes();
                if (checksum == null) {
                    checksum = c.value();
                    exact = c.exact();
                } else {
                    stable &= Checksum.agree(checksum, exact, c.value(), c.exact());
                }
            }
            PhaseTimes phases = new PhaseTimes();
            List<Double> times = new ArrayList<>();
            sampler.start();
            long timedStart = System.nanoTime();
            for (int i = 0; i < knobs.reps || (System.nanoTime() - timedStart) / 1_000_000 < knobs.repsMillis; i++) {
                long t0 = System.nanoTime();
                Checksum c = kernel.runOnce(scratch);
                double ms = (System.nanoTime() - t0) / 1e6;
                scratch.drainInto(phases);
                times.add(ms);
                out.printf(Locale.ROOT, "rep %d: %.1f ms checksum %s%n", i + 1, ms, c.value());
                if (checksum == null) {
                    checksum = c.value();
                    exact = c.exact();
                } else {
                    stable &= Checksum.agree(checksum, exact, c.value(), c.exact());
                }
            }
            out.println(new VerifyJson.KernelResult(kernel.name(), checksum, exact, stable, median(times), times,
                    sampler.peakOsThreads(), sampler.peakJavaThreads(), phases.medians(), knobs.describe()).line());
            return stable ? 0 : 3;
        } finally {
            kernel.tearDown();
        }
    }

    static String env(String key) {
        String v = System.getenv(key);
        return v == null ? "unset" : v;
    }

    /** Median of a non-empty list. */
    public static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
