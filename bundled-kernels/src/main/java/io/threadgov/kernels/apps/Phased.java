package io.threadgov.kernels.apps;

import io.threadgov.kernels.Blas;
import io.threadgov.kernels.Checksum;
import io.threadgov.kernels.Kernel;
import io.threadgov.kernels.Knobs;
import io.threadgov.kernels.PhaseTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Three phases: one large dgemm on the main thread ("large1"), many small dgemm calls in a fixed pool
 * ("small"), one large dgemm on the main thread again ("large2"). The large phases want every core inside
 * OpenBLAS; the small phase wants one OpenBLAS thread per pool worker: no static setting is right for both.
 * Knobs: kernel.size = order of the large matrices (1536; quick 1024), kernel.tasks = small calls (256;
 * quick 128) of order {@value #SMALL_N}. The sizes make the pool phase weigh about as much as the two
 * large ones together (with 2048 and 64 calls it was a small part of a governed run, and the kernel
 * measured mostly the large calls' run-to-run noise: BENCHMARKS.md, History, 2026-12-01 a88e564..ac7899a).
 */
public final class Phased implements Kernel {
    static final int SMALL_N = 192;
    private static final int SMALL_SETS = 4;

    private Knobs knobs;
    private int tasks;
    private Blas.Operands large;
    private final List<Blas.Operands> small = new ArrayList<>();

    @Override
    public String name() {
        return "phased";
    }

    @Override
    public String description() {
        return "large dgemm on main, many small dgemm in fixed pool(outer), large dgemm again";
    }

    @Override
    public void setUp(Knobs k) {
        this.knobs = k;
        this.tasks = k.tasks(256, 128);
        Blas.load();
        large = new Blas.Operands(k.size(1536, 1024), 5);
        for (int s = 0; s < SMALL_SETS; s++) {
            small.add(new Blas.Operands(SMALL_N, 500 + s));
        }
    }

    @Override
    public Checksum runOnce(PhaseTimes phases) throws Exception {
        long t0 = System.nanoTime();
        double sum = Blas.multiplySum(large);
        long t1 = System.nanoTime();
        phases.record("large1", t0, t1);
        List<Callable<Double>> work = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            Blas.Operands ops = small.get(t % SMALL_SETS);
            work.add(() -> Blas.multiplySum(ops));
        }
        for (double v : OuterPool.runAll(knobs.outer, work)) {
            sum += v;
        }
        long t2 = System.nanoTime();
        phases.record("small", t1, t2);
        sum += Blas.multiplySum(large);
        phases.record("large2", t2, System.nanoTime());
        return Checksum.ofExactDouble(sum);
    }

    @Override
    public void tearDown() {
        if (large != null) {
            large.close();
        }
        small.forEach(Blas.Operands::close);
        small.clear();
    }
}
