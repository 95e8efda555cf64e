package io.threadgov.bench;

import io.threadgov.Limit;
import io.threadgov.ThreadGov;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of {@code try (Limit l = ThreadGov.limit(n, api)) {}}: enter plus exit, without the agent
 * (the standalone native layer). threadpoolctl's {@code threadpool_limits} context manager costs about
 * 127 us per use; the goal here is under 2 us.
 *
 * <ul>
 * <li>{@code noChange}: the runtime already runs at n: no native call at all.</li>
 * <li>{@code perThreadOpenMp}: libgomp at 1 on this thread (held), limited to 2 and restored:
 *     two omp_set_num_threads calls.</li>
 * <li>{@code processWideOpenBlas}: JavaCPP's OpenBLAS 0.3.28 limited to 1 and restored:
 *     two openblas_set_num_threads calls.</li>
 * </ul>
 * Run: {@code bench/jmh.sh governor LimitBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LimitBenchmark {

    private static final String GOMP = "/usr/lib/x86_64-linux-gnu/libgomp.so.1";

    @Setup(Level.Trial)
    public void load() {
        System.load(GOMP);
        Loader.load(openblas_nolapack.class);
        if (ThreadGov.nativeRuntimes().size() < 2) {
            throw new IllegalStateException("runtimes not found: " + ThreadGov.nativeRuntimes());
        }
    }

    /** Held for the whole trial on the benchmark thread, so that {@link #noChange} finds 1 already. */
    private Limit held;

    @Setup(Level.Iteration)
    public void hold() {
        held = ThreadGov.limit(1, "openmp");
    }

    @TearDown(Level.Iteration)
    public void release() {
        held.close();
    }

    @Benchmark
    public Limit noChange() {
        try (Limit l = ThreadGov.limit(1, "openmp")) {
            return l;
        }
    }

    @Benchmark
    public Limit perThreadOpenMp() {
        try (Limit l = ThreadGov.limit(2, "openmp")) {
            return l;
        }
    }

    @Benchmark
    public Limit processWideOpenBlas() {
        try (Limit l = ThreadGov.limit(1, "openblas")) {
            return l;
        }
    }
}
