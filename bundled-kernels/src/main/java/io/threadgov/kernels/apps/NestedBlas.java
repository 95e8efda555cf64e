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
 * An outer fixed pool whose tasks each call OpenBLAS dgemm (JavaCPP), balanced: every task multiplies
 * matrices of the same order. Naively both layers use every core: outer x OpenBLAS threads.
 * Knobs: kernel.size = matrix order (256; quick 192), kernel.tasks = tasks (32; quick 16), each task does
 * {@value #CALLS} dgemm calls.
 */
public final class NestedBlas implements Kernel {
    static final int CALLS = 2;
    private static final int OPERAND_SETS = 4;

    private Knobs knobs;
    private int tasks;
    private final List<Blas.Operands> operands = new ArrayList<>();

    @Override
    public String name() {
        return "nested-blas";
    }

    @Override
    public String description() {
        return "fixed pool(outer) x OpenBLAS cblas_dgemm (JavaCPP), balanced tasks";
    }

    @Override
    public void setUp(Knobs k) {
        this.knobs = k;
        this.tasks = k.tasks(32, 16);
        int n = k.size(256, 192);
        Blas.load();
        for (int s = 0; s < OPERAND_SETS; s++) {
            operands.add(new Blas.Operands(n, 1000 + s));
        }
    }

    @Override
    public Checksum runOnce(PhaseTimes phases) throws Exception {
        List<Callable<Double>> work = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            Blas.Operands ops = operands.get(t % OPERAND_SETS);
            work.add(() -> {
                double s = 0;
                for (int c = 0; c < CALLS; c++) {
                    s += Blas.multiplySum(ops);
                }
                return s;
            });
        }
        double sum = 0;
        for (double v : OuterPool.runAll(knobs.outer, work)) {
            sum += v;
        }
        return Checksum.ofExactDouble(sum);
    }

    @Override
    public void tearDown() {
        operands.forEach(Blas.Operands::close);
        operands.clear();
    }
}
