package io.threadgov.governor.natives;

import com.sun.jna.Function;

/**
 * BLIS. {@code bli_thread_set_num_threads} sets the global runtime object (under BLIS's own mutex in
 * 0.9); each call copies it at entry, so changing it while other threads compute is safe. BLIS also
 * offers a per-call rntm, which an unmodified application does not use: process-wide it is.
 * {@code bli_thread_get_num_threads} returns -1 when nothing was set, which means 1 (as threadpoolctl).
 */
final class BlisRuntime extends NativeRuntime {

    private final Function get;
    private final Function set;

    private BlisRuntime(String prefix, NativeLib lib, Function get, Function set) {
        super(RuntimeKind.BLIS, prefix, lib);
        this.get = get;
        this.set = set;
        this.version = NativeLib.string(lib.own("bli_info_get_version_str"));
        Function omp = lib.own("bli_info_get_enable_openmp");
        Function pth = lib.own("bli_info_get_enable_pthreads");
        if (omp != null && omp.invokeLong(new Object[0]) != 0) {
            threadingLayer = "openmp";
        } else if (pth != null && pth.invokeLong(new Object[0]) != 0) {
            threadingLayer = "pthreads";
        } else {
            threadingLayer = "disabled";
        }
        Function query = lib.own("bli_arch_query_id");
        Function name = lib.own("bli_arch_string");
        if (query != null && name != null) {
            architecture = name.invokeString(new Object[] {query.invokeInt(new Object[0])}, false);
        }
    }

    static BlisRuntime identify(String prefix, NativeLib lib) {
        Function get = lib.own("bli_thread_get_num_threads");
        Function set = lib.own("bli_thread_set_num_threads");
        return get != null && set != null ? new BlisRuntime(prefix, lib, get, set) : null;
    }

    @Override
    boolean perThread() {
        return false;
    }

    @Override
    int threads() {
        long n = get.invokeLong(new Object[0]);
        return n < 1 ? 1 : (int) n;
    }

    @Override
    void setProcess(int n) {
        set.invokeVoid(new Object[] {(long) n});
    }
}
