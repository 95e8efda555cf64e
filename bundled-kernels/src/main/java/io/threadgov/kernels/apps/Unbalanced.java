package io.threadgov.kernels.apps;

import io.threadgov.kernels.Blas;
import io.threadgov.kernels.Checksum;
import io.threadgov.kernels.Kernel;
import io.threadgov.kernels.Knobs;
import io.threadgov.kernels.PhaseTimes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * An outer fixed pool whose tasks do one dgemm each, of an order drawn from a heavy-tailed (Pareto,
 * alpha {@value #ALPHA}) distribution with a fixed seed: many small tasks and a few large ones, submitted
 * in the drawn order, so the pool drains unevenly and the last large tasks run while other workers idle.
 * Knobs: kernel.size = the largest order (1024; quick 640), kernel.tasks (48; quick 32); the smallest
 * order is {@value #MIN_N}.
 */
public final class Unbalanced implements Kernel {
    static final double ALPHA = 1.2;
    static final int MIN_N = 64;
    static final long SEED = 20240601L;

    private Knobs knobs;
    private int[] orders;
    private final Map<Integer, Blas.Operands> operands = new LinkedHashMap<>();

    @Override
    public String name() {
        return "unbalanced";
    }

    @Override
    public String description() {
        return "fixed pool(outer) x dgemm of heavy-tailed sizes (Pareto, fixed seed)";
    }

    @Override
    public void setUp(Knobs k) {
        this.knobs = k;
        int tasks = k.tasks(48, 32);
        int maxN = Math.max(MIN_N, k.size(1024, 640));
        Random rnd = new Random(SEED);
        orders = new int[tasks];
        for (int t = 0; t < tasks; t++) {
            double u = 1.0 - rnd.nextDouble();                 // (0, 1]
            double pareto = Math.pow(u, -1.0 / ALPHA);          // >= 1, heavy tail
            int n = (int) Math.min(maxN, Math.round(MIN_N * pareto));
            n = Math.max(MIN_N, (n + 31) / 32 * 32);
            orders[t] = Math.min(n, maxN);
        }
        Blas.load();
        for (int n : orders) {
            operands.computeIfAbsent(n, m -> new Blas.Operands(m, m));
        }
    }

    @Override
    public Checksum runOnce(PhaseTimes phases) throws Exception {
        List<Callable<Double>> work = new ArrayList<>();
        for (int n : orders) {
            Blas.Operands ops = operands.get(n);
            work.add(() -> Blas.multiplySum(ops));
        }
        double sum = 0;
        for (double v : OuterPool.runAll(knobs.outer, work)) {
            sum += v;
        }
        return Checksum.ofExactDouble(sum);
    }

    @Override
    public void tearDown() {
        operands.values().forEach(Blas.Operands::close);
        operands.clear();
    }
}
