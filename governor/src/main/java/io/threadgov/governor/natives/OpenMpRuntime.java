package io.threadgov.governor.natives;

import com.sun.jna.Function;

/**
 * An OpenMP runtime (libgomp, LLVM libomp, Intel libiomp5). {@code omp_set_num_threads} sets the
 * nthreads-var of the calling thread only (libgomp gives a thread that is not an OpenMP thread its own
 * copy of the settings on the first set), and {@code omp_get_max_threads} reads it: per-thread.
 * The process default (the value a thread has before any set) comes from OMP_NUM_THREADS at load and
 * cannot be changed through the API.
 */
final class OpenMpRuntime extends NativeRuntime {

    private final Function get;
    private final Function set;
    private final Direct.GetSet direct;

    private OpenMpRuntime(String prefix, NativeLib lib, Function get, Function set) {
        super(RuntimeKind.OPENMP, prefix, lib);
        this.get = get;
        this.set = set;
        this.threadingLayer = "openmp";
        this.direct = Direct.openMp(lib.handle());
        // OpenMP runtimes have no version call: version stays null, as in threadpoolctl
    }

    static OpenMpRuntime identify(String prefix, NativeLib lib) {
        Function get = lib.own("omp_get_max_threads");
        Function set = lib.own("omp_set_num_threads");
        return get != null && set != null ? new OpenMpRuntime(prefix, lib, get, set) : null;
    }

    @Override
    boolean perThread() {
        return true;
    }

    @Override
    int threads() {
        return direct != null ? direct.get() : get.invokeInt(new Object[0]);
    }

    @Override
    void setProcess(int n) {
        setThread(n);
    }

    @Override
    void setThread(int n) {
        if (direct != null) {
            direct.set(n);
        } else {
            set.invokeVoid(new Object[] {n});
        }
    }
}
