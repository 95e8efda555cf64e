package io.threadgov.kernels;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one kernel in this JVM: set-up, untimed executions ({@code kernel.warmup} and at least
 * {@code kernel.warmupMs}), then timed ones ({@code kernel.reps} and at least {@code kernel.repsMs}: a
 * short kernel runs more often, so its median is not one hiccup of a shared machine); reports the median wall time, the peak thread counts over the timed executions and the
 * checksum, as one machine-readable line {@code KERNEL_RESULT {json}} (what {@code verify} parses).
 */
public final class KernelRunner {
    /** The prefix of the result line on stdout. */
    public static final String RESULT_PREFIX = "KERNEL_RESULT ";

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
            int peakOs = sampler.peakOsThreads();
            int peakJava = sampler.peakJavaThreads();
            StringBuilder json = new StringBuilder();
            json.append('{');
            field(json, "kernel", kernel.name()).append(',');
            field(json, "checksum", checksum).append(',');
            json.append("\"exact\":").append(exact).append(',');
            json.append("\"stable\":").append(stable).append(',');
            json.append("\"ms\":").append(fmt(median(times))).append(',');
            json.append("\"rep_ms\":[");
            for (int i = 0; i < times.size(); i++) {
                json.append(i == 0 ? "" : ",").append(fmt(times.get(i)));
            }
            json.append("],");
            json.append("\"peak_threads\":").append(peakOs).append(',');
            json.append("\"peak_java_threads\":").append(peakJava).append(',');
            json.append("\"phases\":{");
            boolean first = true;
            for (Map.Entry<String, Double> e : phases.medians().entrySet()) {
                json.append(first ? "" : ",");
                first = false;
                field(json, e.getKey(), null).append(fmt(e.getValue()));
            }
            json.append("},");
            field(json, "knobs", knobs.describe());
            json.append('}');
            out.println(RESULT_PREFIX + json);
            return stable ? 0 : 3;
        } finally {
            kernel.tearDown();
        }
    }

    static String env(String key) {
        String v = System.getenv(key);
        return v == null ? "unset" : v;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static StringBuilder field(StringBuilder sb, String key, String value) {
        sb.append('"').append(escape(key)).append("\":");
        if (value != null) {
            sb.append('"').append(escape(value)).append('"');
        }
        return sb;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
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
