package io.threadgov.kernels;

import java.util.OptionalInt;

/**
 * The knobs of a kernel, read from system properties, so that a kernel behaves like an ordinary
 * application configured from the command line. Native thread counts are NOT knobs here: OpenBLAS and
 * OpenMP read {@code OPENBLAS_NUM_THREADS} / {@code OMP_NUM_THREADS} themselves, and the common
 * ForkJoinPool reads {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism}.
 *
 * <ul>
 *   <li>{@code kernel.outer}: size of the outer fixed pool (default: the naive app's max(8, 4 x cores))</li>
 *   <li>{@code kernel.inner}: size of an inner pool that the kernel creates explicitly (ForkJoinPool,
 *       fixed pool); when unset the kernel does what a naive app does ({@code new ForkJoinPool()},
 *       {@code newFixedThreadPool(cores)})</li>
 *   <li>{@code kernel.size}, {@code kernel.tasks}: problem size and number of outer tasks (per kernel)</li>
 *   <li>{@code kernel.quick=true}: small sizes (CI)</li>
 *   <li>{@code kernel.warmup}, {@code kernel.warmupMs}: untimed executions, at least this many and for at
 *       least this long (1 and 2000 ms; 1000 ms quick), so the JIT and anything started in the background
 *       (an agent's start-up) settle before the measured phase</li>
 *   <li>{@code kernel.reps}, {@code kernel.repsMs}: timed executions, at least this many and for at least this
 *       long (5 and 1000 ms; quick 3 and 300 ms): a kernel of 25 ms per execution is timed 40 times, whose
 *       median one slow execution on a shared machine does not move</li>
 * </ul>
 */
public final class Knobs {

    public final int cores;
    public final int outer;
    private final Integer inner;
    public final boolean quick;
    public final int warmup;
    public final long warmupMillis;
    public final int reps;
    public final long repsMillis;
    private final Integer size;
    private final Integer tasks;

    private Knobs(int cores) {
        this.cores = cores;
        this.quick = Boolean.parseBoolean(System.getProperty("kernel.quick", "false"));
        this.outer = intProp("kernel.outer", defaultOuter(cores));
        String in = System.getProperty("kernel.inner");
        this.inner = in == null || in.isBlank() ? null : positive("kernel.inner", in);
        this.warmup = intProp("kernel.warmup", 1);
        this.warmupMillis = intProp("kernel.warmupMs", quick ? 1000 : 2000);
        this.reps = intProp("kernel.reps", quick ? 3 : 5);
        this.repsMillis = nonNegativeProp("kernel.repsMs", quick ? 300 : 1000);
        String s = System.getProperty("kernel.size");
        this.size = s == null || s.isBlank() ? null : positive("kernel.size", s);
        String t = System.getProperty("kernel.tasks");
        this.tasks = t == null || t.isBlank() ? null : positive("kernel.tasks", t);
    }

    /** The knobs of this JVM. */
    public static Knobs fromSystemProperties() {
        return new Knobs(Runtime.getRuntime().availableProcessors());
    }

    /** The outer pool size of the naive app: max(8, 4 x cores). */
    public static int defaultOuter(int cores) {
        return Math.max(8, 4 * cores);
    }

    /** {@code kernel.inner} when set. */
    public OptionalInt inner() {
        return inner == null ? OptionalInt.empty() : OptionalInt.of(inner);
    }

    /** {@code kernel.inner} when set, else every core: what a naive app asks for. */
    public int innerOrCores() {
        return inner == null ? cores : inner;
    }

    /** {@code kernel.size} when set, else the kernel's default for full or quick mode. */
    public int size(int full, int quickSize) {
        return size != null ? size : quick ? quickSize : full;
    }

    /** {@code kernel.tasks} when set, else the kernel's default for full or quick mode. */
    public int tasks(int full, int quickTasks) {
        return tasks != null ? tasks : quick ? quickTasks : full;
    }

    public String describe() {
        return "cores=" + cores + " outer=" + outer + " inner=" + (inner == null ? "unset" : inner)
                + " size=" + (size == null ? "default" : size) + " tasks=" + (tasks == null ? "default" : tasks)
                + " quick=" + quick + " warmup=" + warmup + "/" + warmupMillis + "ms reps=" + reps + "/" + repsMillis + "ms";
    }

    private static int intProp(String key, int dflt) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? dflt : positive(key, v);
    }

    private static int nonNegativeProp(String key, int dflt) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? dflt : atLeast(key, v, 0);
    }

    private static int positive(String key, String v) {
        return atLeast(key, v, 1);
    }

    private static int atLeast(String key, String v, int min) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException(key + "=" + v + ": expected an integer >= " + min);
    }
}
