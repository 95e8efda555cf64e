package io.threadgov.kernels.apps;

import io.threadgov.kernels.Checksum;
import io.threadgov.kernels.Kernel;
import io.threadgov.kernels.Knobs;
import io.threadgov.kernels.Mix;
import io.threadgov.kernels.PhaseTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;

/**
 * An outer fixed pool whose tasks each create their own {@code new ForkJoinPool()} (or
 * {@code new ForkJoinPool(kernel.inner)} when set), run a recursive divide-and-conquer sum in it and shut it
 * down. Knobs: kernel.size = elements per task in thousands (2000; quick 400), kernel.tasks (48; quick 16).
 */
public final class NestedForkJoin implements Kernel {
    static final int LEAF = 4096;

    private Knobs knobs;
    private int tasks;
    private long elements;

    @Override
    public String name() {
        return "nested-forkjoin";
    }

    @Override
    public String description() {
        return "fixed pool(outer) x new ForkJoinPool() per task, RecursiveTask sum";
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
            work.add(() -> {
                ForkJoinPool fj = knobs.inner().isPresent() ? new ForkJoinPool(knobs.inner().getAsInt()) : new ForkJoinPool();
                try {
                    return fj.invoke(new SumTask(base, base + elements));
                } finally {
                    fj.shutdown();
                    fj.awaitTermination(1, TimeUnit.MINUTES);
                }
            });
        }
        long acc = 0;
        for (long v : OuterPool.runAll(knobs.outer, work)) {
            acc = Checksum.mix(acc, v);
        }
        return Checksum.ofLong(acc);
    }

    static final class SumTask extends RecursiveTask<Long> {
        private final long from;
        private final long to;

        SumTask(long from, long to) {
            this.from = from;
            this.to = to;
        }

        @Override
        protected Long compute() {
            if (to - from <= LEAF) {
                return Mix.sumWork(from, to);
            }
            long mid = (from + to) >>> 1;
            SumTask left = new SumTask(from, mid);
            left.fork();
            long right = new SumTask(mid, to).compute();
            return left.join() + right;
        }
    }
}
