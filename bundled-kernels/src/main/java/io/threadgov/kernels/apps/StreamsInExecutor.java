package io.threadgov.kernels.apps;

import io.threadgov.kernels.Checksum;
import io.threadgov.kernels.Kernel;
import io.threadgov.kernels.Knobs;
import io.threadgov.kernels.Mix;
import io.threadgov.kernels.PhaseTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;

/**
 * An outer fixed pool whose tasks each run a {@code parallel()} stream (the common ForkJoinPool, sized by
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism}, naively cores - 1, plus the caller).
 * Knobs: kernel.size = elements per task in thousands (2000; quick 400), kernel.tasks (48; quick 16).
 */
public final class StreamsInExecutor implements Kernel {
    /**
     * Elements per stream element: the stream splits chunks, and each chunk is one plain loop
     * ({@link Mix#sumWork}). A stream over single elements made the time depend on whether the JIT happened
     * to inline the stream pipeline's leaf loop in that JVM: bimodal between JVMs with or without the agent
     * (BENCHMARKS.md, History, 2026-11-22, "Full run at f961460").
     */
    static final long CHUNK = 1000;
    private Knobs knobs;
    private int tasks;
    private long elements;

    @Override
    public String name() {
        return "streams-in-executor";
    }

    @Override
    public String description() {
        return "fixed pool(outer) x parallel() streams on the common pool";
    }

    @Override
    public void setUp(Knobs k) {
        this.knobs = k;
        this.tasks = k.tasks(48, 16);
        this.elements = 1000L * k.size(2000, 400);
    }

    @Override
    public Checksum runOnce(PhaseTimes phases) throws Exception {
        List<Callable<Long>> work = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            long base = t * elements;
            work.add(() -> LongStream.range(0, (elements + CHUNK - 1) / CHUNK).parallel()
                    .map(c -> Mix.sumWork(base + c * CHUNK, Math.min(base + elements, base + (c + 1) * CHUNK)))
                    .sum());
        }
        long acc = 0;
        for (long v : OuterPool.runAll(knobs.outer, work)) {
            acc = Checksum.mix(acc, v);
        }
        return Checksum.ofLong(acc);
    }
}
