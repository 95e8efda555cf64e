package io.threadgov.kernels.apps;

import io.threadgov.kernels.Checksum;
import io.threadgov.kernels.Kernel;
import io.threadgov.kernels.Knobs;
import io.threadgov.kernels.OmpKernel;
import io.threadgov.kernels.PhaseTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * An outer fixed pool whose tasks each call a JNI kernel with an OpenMP parallel loop (libgomp): the
 * team of every call is the calling thread's omp_get_max_threads(), naively all cores.
 *
 * <p>Each call is a small n-body simulation: kernel.size = 32 particles, kernel.sweeps = {@value #DEFAULT_SWEEPS}
 * time steps, each an O(n^2) parallel loop of a few microseconds, so a call is ~5 ms of compute split into
 * many short parallel regions: the per-call work of small problems that naive OpenMP code parallelises
 * anyway. A team of all cores buys a lone caller little at this grain; oversubscribed teams (every outer
 * worker with its own team) pay a wake-up and a barrier per step and lose 2x to 3x on this machine.
 * kernel.tasks = calls (64; quick 16), one per outer task.
 */
public final class NestedOpenmp implements Kernel {
    static final int DEFAULT_SWEEPS = 2048;

    private Knobs knobs;
    private int tasks;
    private int n;
    private int sweeps;

    @Override
    public String name() {
        return "nested-openmp";
    }

    @Override
    public String description() {
        return "fixed pool(outer) x OpenMP parallel for (JNI, libgomp), balanced tasks";
    }

    @Override
    public void setUp(Knobs k) {
        this.knobs = k;
        this.tasks = k.tasks(64, 16);
        this.n = k.size(32, 32);
        this.sweeps = Integer.getInteger("kernel.sweeps", DEFAULT_SWEEPS);
        OmpKernel.ensureLoaded();
    }

    @Override
    public Checksum runOnce(PhaseTimes phases) throws Exception {
        List<Callable<Double>> work = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            long seed = 42 + t % 8;
            work.add(() -> OmpKernel.potential(n, seed, sweeps));
        }
        double sum = 0;
        for (double v : OuterPool.runAll(knobs.outer, work)) {
            sum += v;
        }
        return Checksum.ofExactDouble(sum);
    }
}
