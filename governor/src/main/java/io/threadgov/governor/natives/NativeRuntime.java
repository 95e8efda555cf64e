package io.threadgov.governor.natives;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A controller of one loaded native runtime (one file: two copies of OpenBLAS are two controllers).
 * Subclasses bind the runtime's symbols once; every call here is one JNA call.
 *
 * <p>Scope: {@link #perThread()} runtimes have a setter that acts on the calling thread only
 * (omp_set_num_threads, mkl_set_num_threads_local); the others have one process-wide setting, which
 * {@link NativePolicy} drives from the count of busy governed workers.
 */
abstract class NativeRuntime {

    final RuntimeKind kind;
    final String prefix;
    final String filepath;
    final NativeLib lib;
    /** Position in {@link RuntimeDiscovery#runtimes()}; indexes the per-thread caches ({@link ThreadValues}). */
    int index;

    String version;
    String threadingLayer;
    String architecture;

    // process-wide bookkeeping, guarded by this
    /**
     * The process-wide value threadgov set last, 0 before the first set. Written under this monitor; volatile so
     * that NativePolicy.callersChanged may skip the monitor when the value it would set is this one.
     */
    volatile int lastSet;
    /** Process-wide changes threadgov made (written under this monitor). */
    volatile int changes;
    /** The smallest count threadgov set, process-wide or for a thread; 0 before the first. */
    private final java.util.concurrent.atomic.AtomicInteger minSet = new java.util.concurrent.atomic.AtomicInteger();
    /** The largest process-wide value the runtime has had (its thread server already has that many threads). */
    int largestSeen;
    /** Open {@code ThreadGov.limit} blocks holding the process-wide value: the busy-driven policy waits. */
    int pinned;

    NativeRuntime(RuntimeKind kind, String prefix, NativeLib lib) {
        this.kind = kind;
        this.prefix = prefix;
        this.filepath = lib.path;
        this.lib = lib;
    }

    /** True when the runtime's setter acts on the calling thread only. */
    abstract boolean perThread();

    /** The thread count as seen from the calling thread. */
    abstract int threads();

    /** Sets the process-wide count. */
    abstract void setProcess(int n);

    /** Sets the count of the calling thread ({@link #perThread()} runtimes only). */
    void setThread(int n) {
        throw new UnsupportedOperationException(kind.internalApi + " has no per-thread setter");
    }

    /**
     * Whether the process-wide count may move from {@code from} to {@code to} now, with {@code busy}
     * governed workers busy. See {@link NativePolicy}'s comment on safety.
     */
    boolean processChangeSafe(int from, int to, int busy) {
        return true;
    }

    /** Notes that threadgov set the count to {@code n} (for the report's {@code min_set}). */
    void noteSet(int n) {
        int m = minSet.get();
        while ((m == 0 || n < m) && !minSet.compareAndSet(m, n)) {
            m = minSet.get();
        }
    }

    String scope() {
        return perThread() ? "thread" : "process";
    }

    /** A short name for events and logs. */
    String id() {
        return kind.internalApi + ":" + filepath;
    }

    /** The threadpoolctl-style record, num_threads as seen from the calling thread. */
    Map<String, Object> record() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_api", kind.userApi);
        m.put("internal_api", kind.internalApi);
        m.put("prefix", prefix);
        m.put("filepath", filepath);
        m.put("version", version);
        m.put("threading_layer", threadingLayer);
        m.put("architecture", architecture);
        m.put("num_threads", threads());
        m.put("scope", scope());
        m.put("changes", changes);
        m.put("min_set", minSet.get());
        return m;
    }
}
