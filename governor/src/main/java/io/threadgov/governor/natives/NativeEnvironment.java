package io.threadgov.governor.natives;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

import java.util.Locale;

/**
 * What a native runtime reads from the environment only when it initialises, set by the governor just
 * before a library that may be such a runtime is loaded. One variable:
 * {@code OPENBLAS_THREAD_TIMEOUT}.
 *
 * <p>Why: after each threaded call, the server threads of a pthreads OpenBLAS spin (busy-wait with
 * {@code sched_yield}) for 2^28 TSC cycles, about 0.1 s, before they sleep. The governor moves the
 * process-wide count with the busy workers, so a batch of pool tasks often starts right after a call that
 * used the server threads (the main thread's, or the last task of the previous batch, which runs at the
 * budget): the spinning server thread then takes a core from the workers for 0.1 s. Measured on 2 cores
 * (nested-blas, 8 workers x dgemm n=256), a batch took longer than with the static
 * {@code OPENBLAS_NUM_THREADS=1}; with a timeout of 2^20 cycles (a fraction of a millisecond, still
 * long enough for back-to-back calls to find the threads awake) the governed run matches the static one
 * (BENCHMARKS.md, "Current results": OpenBLAS's spinning server threads).
 * OpenBLAS reads the variable in its constructor (Debian 0.3.21 and JavaCPP 0.3.28 alike), so it must be
 * in the C environment before {@code dlopen}; a value the user set is never replaced.
 *
 * <p>The variable is set with libc's {@code setenv} (JNA), once per process, on the first load whose name
 * looks like a BLAS (so an application without one never initialises JNA for it). {@code System.getenv}
 * keeps the JVM's snapshot and does not show it.
 */
final class NativeEnvironment {

    static final String OPENBLAS_THREAD_TIMEOUT = "OPENBLAS_THREAD_TIMEOUT";
    /** log2 of the TSC cycles OpenBLAS's server threads spin before sleeping (OpenBLAS's default: 28). */
    static final String THREAD_TIMEOUT_VALUE = "20";

    private static final String[] BLAS_NAMES = {"blas", "lapack", "mkl", "nd4j", "arpack"};

    private NativeEnvironment() {
    }

    /** True when a library called {@code what} (a name or path) may be, or bring, a BLAS runtime. */
    static boolean mayBringBlas(String what) {
        if (what == null) {
            return false;
        }
        String name = MappedLibraries.fileName(what).toLowerCase(Locale.ROOT);
        for (String b : BLAS_NAMES) {
            if (name.contains(b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets the variables a BLAS reads at initialisation, where unset. Returns what it did, for the log:
     * {@code "OPENBLAS_THREAD_TIMEOUT=20"}, or {@code "OPENBLAS_THREAD_TIMEOUT already 28"}.
     */
    static String prepare(String fault) {
        NativeLib.initialise(fault);
        NativeLibrary process = NativeLibrary.getProcess();
        Function getenv = process.getFunction("getenv");
        String current = getenv.invokeString(new Object[] {OPENBLAS_THREAD_TIMEOUT}, false);
        if (current != null) {
            return OPENBLAS_THREAD_TIMEOUT + " already " + current;
        }
        Function setenv = process.getFunction("setenv");
        int rc = setenv.invokeInt(new Object[] {OPENBLAS_THREAD_TIMEOUT, THREAD_TIMEOUT_VALUE, 0});
        if (rc != 0) {
            throw new IllegalStateException("setenv(" + OPENBLAS_THREAD_TIMEOUT + ") returned " + rc);
        }
        return OPENBLAS_THREAD_TIMEOUT + "=" + THREAD_TIMEOUT_VALUE;
    }
}
