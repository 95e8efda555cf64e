package io.threadgov.governor.natives;

import com.sun.jna.Function;

/**
 * OpenBLAS. Symbols may carry a prefix ({@code scipy_}) and an ILP64 suffix ({@code 64_}, {@code _64}), as
 * threadpoolctl looks for them.
 *
 * <p>Scope is process-wide for every build: {@code openblas_set_num_threads} is global, and
 * {@code openblas_set_num_threads_local} (0.3.27+) is global too in pthreads builds (measured on the
 * JavaCPP 0.3.28 build: a value set on one thread is what {@code openblas_get_num_threads} returns on
 * another; in OpenMP builds it only sizes calls made inside an OpenMP parallel region). So it is not
 * used as a per-thread setter.
 *
 * <p>OpenMP builds (threading layer "openmp"): at each call OpenBLAS takes the caller's
 * {@code omp_get_max_threads()} as the count (unless the global count is 1), and
 * {@code openblas_set_num_threads} may also change the caller's OpenMP setting; {@link #setProcess}
 * restores the caller's OpenMP value afterwards so a worker keeps its share.
 */
final class OpenBlasRuntime extends NativeRuntime {

    private static final String[] PREFIXES = {"", "scipy_"};
    private static final String[] SUFFIXES = {"", "64_", "_64"};

    private final Function get;
    private final Function set;
    private final Function ompGet;
    private final Function ompSet;
    private final Direct.GetSet direct;

    private OpenBlasRuntime(String prefix, NativeLib lib, Function get, Function set, String affixPrefix,
                            String affixSuffix) {
        super(RuntimeKind.OPENBLAS, prefix, lib);
        this.get = get;
        this.set = set;
        String config = NativeLib.string(lib.own(affixPrefix + "openblas_get_config" + affixSuffix));
        this.version = parseVersion(config);
        Function parallel = lib.own(affixPrefix + "openblas_get_parallel" + affixSuffix);
        this.threadingLayer = parallel == null ? null : layerName(NativeLib.call(parallel));
        this.architecture = NativeLib.string(lib.own(affixPrefix + "openblas_get_corename" + affixSuffix));
        boolean omp = "openmp".equals(threadingLayer);
        this.ompGet = omp ? lib.any("omp_get_max_threads") : null;
        this.ompSet = omp ? lib.any("omp_set_num_threads") : null;
        this.direct = affixPrefix.isEmpty() && affixSuffix.isEmpty() ? Direct.openBlas(lib.handle()) : null;
    }

    /** An OpenBLAS controller when the file defines OpenBLAS's thread symbols, else null. */
    static OpenBlasRuntime identify(String prefix, NativeLib lib) {
        for (String p : PREFIXES) {
            for (String s : SUFFIXES) {
                Function get = lib.own(p + "openblas_get_num_threads" + s);
                Function set = lib.own(p + "openblas_set_num_threads" + s);
                if (get != null && set != null) {
                    return new OpenBlasRuntime(prefix, lib, get, set, p, s);
                }
            }
        }
        return null;
    }

    /** "OpenBLAS 0.3.28 DYNAMIC_ARCH ..." gives "0.3.28". */
    static String parseVersion(String config) {
        if (config == null) {
            return null;
        }
        String[] parts = config.trim().split("\\s+");
        return parts.length >= 2 && parts[0].equals("OpenBLAS") ? parts[1] : null;
    }

    static String layerName(int parallel) {
        switch (parallel) {
            case 0: return "disabled";
            case 1: return "pthreads";
            case 2: return "openmp";
            default: return "unknown";
        }
    }

    @Override
    boolean perThread() {
        return false;
    }

    @Override
    int threads() {
        return direct != null ? direct.get() : NativeLib.call(get);
    }

    @Override
    void setProcess(int n) {
        int omp = ompGet == null ? 0 : NativeLib.call(ompGet);
        if (direct != null) {
            direct.set(n);
        } else {
            set.invokeVoid(new Object[] {n});
        }
        if (ompSet != null && omp > 0 && NativeLib.call(ompGet) != omp) {
            ompSet.invokeVoid(new Object[] {omp});
        }
    }

    @Override
    boolean processChangeSafe(int from, int to, int busy) {
        if (busy == 0) {
            return true;
        }
        if ("openmp".equals(threadingLayer)) {
            // goto_set_num_threads re-sizes the per-thread buffers of every parallel slot: never while a
            // governed worker may be inside a call. Workers are lowered through their own OpenMP setting.
            return false;
        }
        // pthreads: lowering only changes the count read at each call's entry; raising within the server
        // threads that exist already is the same; raising beyond creates server threads: only when idle.
        return to <= Math.max(from, largestSeen);
    }
}
