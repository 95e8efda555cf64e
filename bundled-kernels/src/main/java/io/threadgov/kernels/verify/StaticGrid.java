package io.threadgov.kernels.verify;

import io.threadgov.kernels.Knobs;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The static settings (no agent) verify tries for a kernel: outer pool size x inner threads. */
final class StaticGrid {
    private StaticGrid() {
    }

    /**
     * Grid points for a budget of {@code cores} on a machine of {@code machineCores}; null stands for the point
     * identical to the "none" run, which is not run twice ({@link #nonePoint}). outer in {cores, D} x inner in
     * {max(1, minInner), max(cores, minInner)}, D = {@link Knobs#defaultOuter} of the machine (the kernels' own
     * outer pool), plus inner = {@code ownInner} (at least minInner) when the kernel's own pools are not sized by
     * the cores (io-fanout: 16, one thread per blocking call). "inner" sets OPENBLAS_NUM_THREADS,
     * OMP_NUM_THREADS, the common pool's parallelism and the size of pools the kernel creates explicitly
     * ({@link Setting#fixed}); inner = cores is left unset (the naive default) only when it is what the naive
     * app does everywhere: cores is the machine's and the kernel's own pools default to it.
     */
    static List<Setting> points(int cores, int machineCores, int minInner, int ownInner) {
        int dflt = Knobs.defaultOuter(machineCores);
        Set<Integer> outers = new LinkedHashSet<>(List.of(cores, dflt));
        Set<Integer> inners = new LinkedHashSet<>(List.of(Math.max(1, minInner), Math.max(cores, minInner)));
        boolean ownIsCores = ownInner == machineCores;
        if (!ownIsCores) {
            inners.add(Math.max(ownInner, minInner));
        }
        List<Setting> out = new ArrayList<>();
        for (int o : outers) {
            for (int i : inners) {
                boolean naiveInner = i == machineCores && cores == machineCores && ownIsCores;
                if (naiveInner && o == dflt) {
                    out.add(null);
                } else {
                    out.add(Setting.fixed(o, naiveInner ? null : i));
                }
            }
        }
        return out;
    }

    /** The "none" run standing for the grid point it is identical to (a null of {@link #points}), so labelled. */
    static ChildRun.Outcome nonePoint(ChildRun.Outcome none, int machineCores) {
        Setting same = new Setting("static", "outer=" + Knobs.defaultOuter(machineCores) + " inner=default (=none)",
                Map.of(), List.of());
        return new ChildRun.Outcome(same, none.completed(), none.reason(), none.checksum(), none.exact(), none.ms(),
                none.peakThreads(), none.peakJavaThreads(), none.phases(), none.stdout(), none.stderr());
    }
}
