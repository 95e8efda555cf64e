package io.threadgov;

import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import io.threadgov.governor.NativeControl;
import io.threadgov.governor.natives.NativeGovernor;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * threadgov's public API for applications: what native BLAS/OpenMP runtimes the process has loaded, and
 * a scoped thread limit on them, like threadpoolctl's {@code threadpool_info()} and
 * {@code threadpool_limits()}.
 *
 * <pre>{@code
 * try (Limit l = ThreadGov.limit(1, "blas")) {
 *     // BLAS calls here run single-threaded
 * }
 * }</pre>
 *
 * <p>Works with or without the agent. With the agent, it uses the agent's native layer (so limits and
 * the agent's busy-driven policy know of each other); when that layer is off or failed, both are
 * no-ops. Without the agent, a standalone native layer (JNA on the application's class path) finds the
 * runtimes on first use; {@link #nativeRuntimes()} looks again each time it is called.
 * {@code threadgov.native=off} makes both no-ops.
 */
public final class ThreadGov {

    private static volatile NativeGovernor standalone;

    private ThreadGov() {
    }

    /**
     * The runtimes found, as threadpoolctl-style records: {@code user_api}, {@code internal_api},
     * {@code prefix}, {@code filepath}, {@code version}, {@code threading_layer}, {@code architecture},
     * {@code num_threads} (as seen from the calling thread) and {@code scope} ("thread" or "process").
     */
    public static List<Map<String, Object>> nativeRuntimes() {
        try {
            NativeControl agent = agentNatives();
            if (agent != null) {
                return agent.records();
            }
            if (agentSaysOff()) {
                return List.of();
            }
            NativeGovernor s = standalone();
            s.libraryLoaded("ThreadGov.nativeRuntimes");
            return s.records();
        } catch (Throwable t) {
            Log.failure("native report", t);
            return List.of();
        }
    }

    /**
     * Runs the native runtimes named by {@code apis} ("blas", "openmp", "openblas", "blis", "mkl",
     * "flexiblas", a file prefix such as "libgomp"; none: all) at {@code threads} threads until the
     * returned {@link Limit} is closed. Runtimes with a per-thread setter change for the calling thread
     * only; the others for the whole process. A limit that changes nothing costs no native call.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    @SuppressWarnings("unchecked")
    public static Limit limit(int threads, String... apis) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        AutoCloseable c;
        try {
            NativeControl agent = agentNatives();
            if (agent instanceof BiFunction) {
                c = ((BiFunction<Integer, String[], AutoCloseable>) agent).apply(threads, apis);
            } else if (agent != null || agentSaysOff()) {
                return Limit.NONE;
            } else {
                c = standalone().limit(threads, apis);
            }
        } catch (Throwable t) {
            Log.failure("native limit", t);
            return Limit.NONE;
        }
        if (c == NativeGovernor.NO_LIMIT) {
            return Limit.NONE;
        }
        return () -> {
            try {
                c.close();
            } catch (Throwable t) {
                Log.failure("native limit", t);
            }
        };
    }

    /**
     * The agent's native layer, or null when no agent governs natives here. The agent finishes its start
     * (the native layer and its first scan of the loaded libraries) on a background thread, or on the
     * application's thread that first needs it: a call here waits for that start (bounded), so a library
     * loaded just before is in the records and under a limit.
     */
    private static NativeControl agentNatives() {
        Governor g = Governor.current();
        if (g == null) {
            return null;
        }
        g.awaitStart();
        NativeControl n = g.natives();
        return n == NativeControl.NONE ? null : n;
    }

    /** True when an agent is present but its native layer is not (native=off, or it failed to start). */
    private static boolean agentSaysOff() {
        return Governor.current() != null;
    }

    private static NativeGovernor standalone() {
        NativeGovernor s = standalone;
        if (s == null) {
            synchronized (ThreadGov.class) {
                s = standalone;
                if (s == null) {
                    s = new NativeGovernor(null);
                    standalone = s;
                }
            }
        }
        return s;
    }
}
