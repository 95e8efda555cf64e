package io.threadgov.governor.natives;

import io.threadgov.governor.Config;
import io.threadgov.governor.EventSink;
import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import io.threadgov.governor.Mode;
import io.threadgov.governor.NativeControl;
import io.threadgov.governor.SharePolicy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Finds the native BLAS/OpenMP runtimes the process has loaded and runs each thread at its share.
 *
 * <p>Created by the agent through its isolating class loader ({@code new NativeGovernor(governor)}), or
 * by {@code io.threadgov.ThreadGov} without an agent ({@code governor == null}: budget and switches
 * from system properties, no events, discovery on first use). Besides {@link NativeControl} it is a
 * {@code BiFunction<Integer, String[], AutoCloseable>} that opens a {@link #limit}: a JDK type, so that
 * {@code ThreadGov} reaches the agent's instance across class loaders.
 *
 * <p>No method throws: every failure is counted with {@link Log#failure} (one stderr line per stage)
 * and the application runs on ungoverned. {@code threadgov.native=off} (or {@code mode=off}) makes every
 * method a no-op.
 */
public final class NativeGovernor implements NativeControl, BiFunction<Integer, String[], AutoCloseable> {

    /*
     * Discovery. libraryLoaded() reads /proc/self/maps (pure Java) after every load event, so nothing
     * loaded by any path is missed: System.load, JNA, JavaCPP, FFM, or a JNI library's own dlopen (netlib's
     * shim opening libblas.so.3 from its JNI_OnLoad). Each mapped file is examined once: a file-name
     * prefix picks candidate families (RuntimeKind), and only then JNA opens the file with RTLD_NOLOAD
     * (the copy already there, never a new load) and looks for the family's symbols in that file's own
     * address range. Two copies of one library are two files, two controllers.
     *
     * Policy (DESIGN.md): a governed worker runs native code at its share; any other thread at the
     * budget B.
     *  - Per-thread runtimes (OpenMP runtimes, MKL with mkl_set_num_threads_local): the agent calls
     *    applyToCurrentThread(share) on a worker when its task starts and its share or the native
     *    generation changed; a per-thread cache (threadValues) makes a repeated value cost no native call.
     *    The thread that discovers the runtime is set to its own share.
     *  - Process-wide runtimes (OpenBLAS of any build: its *_local setter is global in pthreads builds;
     *    BLIS; FlexiBLAS; MKL without the local setter): one value for the process, following the busy
     *    governed workers: SharePolicy.processWideThreads(B, busy, their shares), so a lone main thread gets
     *    B back and busy workers run at their shares (a worker's task completing with nothing queued
     *    uncounts it before the thread waiting for its result wakes: Governor.taskCompleting).
     *    It is set to that value on discovery.
     *
     * Safety of changing a process-wide value while other threads are inside calls (researched for the
     * versions here: Debian OpenBLAS 0.3.21 pthreads and openmp, JavaCPP OpenBLAS 0.3.28 pthreads,
     * Debian BLIS 0.9 openmp). OpenBLAS's maintainers call openblas_set_num_threads a global setting
     * (OpenMathLib/OpenBLAS#2809, #3917) and do not document it as safe to call concurrently with
     * running calls; the code shows what is safe:
     *  - pthreads builds: a call reads blas_cpu_number once at entry and dispatches to server threads
     *    that are never destroyed, so lowering is safe any time, and raising is safe up to the number of
     *    server threads that already exist (largestSeen). Raising beyond creates server threads while
     *    other callers may dispatch (the crash class of OpenBLAS PR #447): done only when no governed
     *    worker is busy (busy == 0); until then the raise is deferred, and the busy == 0 transition
     *    always re-applies.
     *  - openmp builds: goto_set_num_threads re-sizes the per-thread buffers of every parallel slot
     *    (adjust_thread_buffers), so a change can free a buffer a running call uses. threadgov changes
     *    it only when no governed worker is busy (raising it back to B for the main thread). Workers
     *    are lowered through their own OpenMP setting (the libgomp the build links is governed per
     *    thread), which OpenBLAS reads at each call (num_cpu_avail). openblas_set_num_threads may also
     *    change the caller's OpenMP value: OpenBlasRuntime.setProcess restores it.
     *  - BLIS 0.9: the global rntm is written under BLIS's mutex and copied at each call: safe any time.
     *
     * Environment: before the first load of a library whose name looks like a BLAS, NativeEnvironment
     * sets what OpenBLAS reads only in its constructor (a short server-thread spin timeout), where unset.
     *
     * Libraries that reset their own thread count (ND4J's setMaxThreads, a JNI_OnLoad or static
     * initializer calling openblas_set_num_threads): after every load event the values threadgov set
     * are read back and re-applied where they differ, and the transition to no busy worker reads the
     * value back before deciding, so a reset made after a load (in a static initializer after
     * Loader.load returned) is undone at the latest when the pools next go idle. The reset calls are
     * not intercepted.
     *
     * Concurrency: runtimes is a copy-on-write array (volatile), appended under scanLock. The
     * process-wide bookkeeping of a runtime (lastSet, largestSeen, pinned) is guarded by the runtime's
     * monitor; each setter call happens under it, so two threads never race on one runtime's setter
     * through threadgov. Per-thread values are touched only by their thread.
     *
     * Busy-count notifications: a worker that changes the busy count calls busyWorkersChanged after its
     * atomic update, and the value applied is computed from the count read again under the runtime's
     * monitor, never from the count the caller saw. The last notification to take the monitor therefore
     * applies the count as of a moment after every notified transition: a slow notifier cannot leave a
     * stale value behind (with the caller's count, a worker that saw 1 busy and entered last set 2 threads
     * while 8 workers ran: a batch many times slower; BENCHMARKS.md, History, 2026-11-22, "Full run at
     * f961460": a stale busy count). Transitions the governor does not notify (counts at or past the budget)
     * all map to 1 thread, which a fresh read at or past the budget also gives.
     */

    /** The limit that changed nothing: closing it does nothing. */
    public static final AutoCloseable NO_LIMIT = new AutoCloseable() {
        @Override
        public void close() {
        }
    };

    private final Governor governor;
    private final boolean enabled;
    private final String fault;
    private final int standaloneBudget;
    private final Object scanLock = new Object();
    private final Set<String> examined = new HashSet<>();
    private final ThreadLocal<int[]> threadValues = new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
            return new int[4];
        }
    }; // anonymous classes, not lambdas: this class is created on the application's thread at start
    private volatile NativeRuntime[] runtimes = new NativeRuntime[0];
    private volatile boolean anyProcessWide;
    private volatile boolean jnaBroken;
    private volatile boolean scanned;
    private volatile boolean environmentPrepared;

    /** The native layer of {@code governor}, or a standalone one when {@code governor} is null. */
    public NativeGovernor(Governor governor) {
        this.governor = governor;
        Config c = governor != null ? governor.config()
                : Config.parse(null, System.getProperties(), Runtime.getRuntime().availableProcessors());
        this.enabled = c.nativeAuto() && c.mode() != Mode.OFF;
        this.fault = c.fault();
        this.standaloneBudget = c.budget();
    }

    /** False when {@code threadgov.native=off}: nothing is discovered or changed. */
    public boolean enabled() {
        return enabled;
    }

    // ---------------------------------------------------------------- NativeControl

    @Override
    public void libraryLoaded(String hint) {
        if (!enabled || jnaBroken) {
            return;
        }
        try {
            boolean again;
            do {
                Map<String, MappedLibraries.Range> maps = MappedLibraries.read();
                if (!jnaReadyFor(maps)) {
                    return; // JNA is being initialised elsewhere: that thread scans again when done
                }
                List<NativeRuntime> found = scan(maps);
                for (NativeRuntime r : found) {
                    adopt(r);
                }
                reassert(found);
                if (!found.isEmpty() && governor != null) {
                    governor.bumpNativeGeneration();
                }
                again = NativeLib.takeMissed();
            } while (again && !jnaBroken);
        } catch (Throwable t) {
            Log.failure("native discovery", t);
        }
    }

    /**
     * Before the scan lock is taken: JNA is initialised here if the maps hold a candidate and it is not yet
     * (its first load must not happen under the scan lock, see NativeLib). False when another thread is
     * initialising it, or this thread re-enters its own initialisation.
     */
    private boolean jnaReadyFor(Map<String, MappedLibraries.Range> maps) {
        if (NativeLib.ready()) {
            return true;
        }
        for (String path : maps.keySet()) {
            if (!RuntimeKind.candidates(MappedLibraries.fileName(path)).isEmpty()) {
                return jnaReady();
            }
        }
        return true; // nothing to open: the scan needs no JNA
    }

    private boolean jnaReady() {
        try {
            return NativeLib.tryInitialise(fault);
        } catch (Throwable t) {
            jnaBroken = true;
            Log.failure("native jna", t);
            return false;
        }
    }

    @Override
    public void libraryLoading(String what) {
        if (!enabled || jnaBroken || environmentPrepared || !enforcing()
                || !NativeEnvironment.mayBringBlas(what) || !jnaReady()) {
            return;
        }
        synchronized (scanLock) {
            if (environmentPrepared) {
                return;
            }
            environmentPrepared = true;
            try {
                Log.info("native environment before loading " + what + ": " + NativeEnvironment.prepare(fault));
            } catch (Throwable t) {
                jnaBroken = true;
                Log.failure("native jna", t);
            }
        }
    }

    @Override
    public void applyToCurrentThread(int share) {
        if (!enabled) {
            return;
        }
        try {
            for (NativeRuntime r : runtimes) {
                if (r.perThread()) {
                    setThreadCached(r, share);
                }
            }
        } catch (Throwable t) {
            Log.failure("native apply", t);
        }
    }

    @Override
    public void busyWorkersChanged(int busyWorkers, int budget) {
        if (!enabled || !anyProcessWide || !enforcing()) {
            return;
        }
        try {
            for (NativeRuntime r : runtimes) {
                if (!r.perThread()) {
                    synchronized (r) {
                        // the count is read again under the monitor: a notification that waited here behind
                        // a later one must not apply its stale value last (see the overview)
                        boolean live = governor != null && governor.busyCounted();
                        int busy = live ? busyNow() : busyWorkers;
                        int want = live ? governor.processWideThreads() : SharePolicy.processWideThreads(budget, busy);
                        if (r.pinned == 0 && (want != r.lastSet || busy == 0)) {
                            applyProcess(r, want, busy);
                        }
                    }
                }
            }
        } catch (Throwable t) {
            Log.failure("native busy", t);
        }
    }

    @Override
    public void budgetChanged(int budget) {
        busyWorkersChanged(busyNow(), budget);
    }

    @Override
    public List<Map<String, Object>> records() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!enabled) {
            return out;
        }
        for (NativeRuntime r : runtimes) {
            try {
                out.add(r.record());
            } catch (Throwable t) {
                Log.failure("native report", t);
            }
        }
        return out;
    }

    @Override
    public boolean needsBusyCount() {
        return anyProcessWide;
    }

    // ---------------------------------------------------------------- limits (ThreadGov.limit)

    @Override
    public AutoCloseable apply(Integer threads, String[] apis) {
        return limit(threads, apis);
    }

    /**
     * Runs the matching runtimes at {@code threads} until the returned handle is closed, then restores
     * what they had. {@code apis}: "blas", "openmp", an internal name ("openblas", "blis", "mkl",
     * "flexiblas"), a prefix ("libgomp"), or none for all. Per-thread runtimes change for the calling
     * thread only; process-wide ones for the process, and the busy-driven policy leaves them alone
     * until the handle is closed. A limit that changes nothing makes no native call.
     */
    public AutoCloseable limit(int threads, String... apis) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        if (!enabled) {
            return NO_LIMIT;
        }
        if (!scanned) {
            libraryLoaded("first limit");
        }
        NativeRuntime[] rs = runtimes;
        Limit l = null;
        for (NativeRuntime r : rs) {
            if (!matches(r, apis)) {
                continue;
            }
            try {
                if (r.perThread()) {
                    int old = setThreadCached(r, threads);
                    if (old != threads) {
                        l = (l == null ? new Limit(this, rs.length) : l);
                        l.add(r, old);
                    }
                } else {
                    int old;
                    synchronized (r) {
                        old = r.lastSet > 0 ? r.lastSet : r.threads();
                        r.pinned++;
                        if (old != threads) {
                            setProcess(r, old, threads);
                        }
                    }
                    l = (l == null ? new Limit(this, rs.length) : l);
                    l.add(r, old);
                }
            } catch (Throwable t) {
                Log.failure("native limit", t);
            }
        }
        return l == null ? NO_LIMIT : l;
    }

    /** Restores what one {@link Limit} changed. */
    void restore(NativeRuntime r, int old) {
        try {
            if (r.perThread()) {
                setThreadCached(r, old);
                return;
            }
            synchronized (r) {
                r.pinned = Math.max(0, r.pinned - 1);
                int cur = r.lastSet;
                if (cur != old) {
                    setProcess(r, cur, old);
                }
                if (r.pinned == 0 && enforcing()) {
                    applyProcess(r, governor.processWideThreads(), busyNow());
                }
            }
        } catch (Throwable t) {
            Log.failure("native limit", t);
        }
    }

    private static boolean matches(NativeRuntime r, String[] apis) {
        if (apis == null || apis.length == 0) {
            return true;
        }
        for (String a : apis) {
            if (a != null && (r.kind.matches(a) || a.equals(r.prefix))) {
                return true;
            }
        }
        return false;
    }

    /** A handle of {@link #limit}: closes once, on any thread (per-thread values restore on the closing thread). */
    static final class Limit implements AutoCloseable {
        private final NativeGovernor owner;
        private final NativeRuntime[] changed;
        private final int[] old;
        private int n;
        private boolean closed;

        Limit(NativeGovernor owner, int capacity) {
            this.owner = owner;
            this.changed = new NativeRuntime[capacity];
            this.old = new int[capacity];
        }

        void add(NativeRuntime r, int previous) {
            changed[n] = r;
            old[n++] = previous;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (int i = n - 1; i >= 0; i--) {
                owner.restore(changed[i], old[i]);
            }
        }
    }

    // ---------------------------------------------------------------- discovery

    private List<NativeRuntime> scan(Map<String, MappedLibraries.Range> maps) {
        List<NativeRuntime> found = new ArrayList<>();
        synchronized (scanLock) {
            scanned = true;
            for (Map.Entry<String, MappedLibraries.Range> e : maps.entrySet()) {
                String path = e.getKey();
                if (!examined.add(path)) {
                    continue;
                }
                List<RuntimeKind> kinds = RuntimeKind.candidates(MappedLibraries.fileName(path));
                if (kinds.isEmpty()) {
                    continue;
                }
                NativeRuntime r = identify(path, e.getValue(), kinds);
                if (jnaBroken) {
                    break;
                }
                if (r != null) {
                    found.add(r);
                }
            }
            if (!found.isEmpty()) {
                NativeRuntime[] old = runtimes;
                NativeRuntime[] next = Arrays.copyOf(old, old.length + found.size());
                for (int i = 0; i < found.size(); i++) {
                    NativeRuntime r = found.get(i);
                    r.index = old.length + i;
                    next[r.index] = r;
                    if (!r.perThread()) {
                        anyProcessWide = true;
                    }
                }
                runtimes = next;
            }
        }
        return found;
    }

    private NativeRuntime identify(String path, MappedLibraries.Range range, List<RuntimeKind> kinds) {
        NativeLib lib;
        try {
            lib = NativeLib.open(path, range, fault);
        } catch (UnsatisfiedLinkError e) {
            if (e.getMessage() != null && e.getMessage().contains(path)) {
                Log.failure("native open", e);  // this file only: JNA itself works
                return null;
            }
            jnaBroken = true;
            Log.failure("native jna", e);
            return null;
        } catch (Throwable t) {
            jnaBroken = true;
            Log.failure("native jna", t);
            return null;
        }
        String name = MappedLibraries.fileName(path);
        for (RuntimeKind k : kinds) {
            try {
                NativeRuntime r = controller(k, k.prefixOf(name), lib);
                if (r != null) {
                    return r;
                }
            } catch (Throwable t) {
                Log.failure("native " + k.internalApi, t);
            }
        }
        return null;
    }

    private static NativeRuntime controller(RuntimeKind k, String prefix, NativeLib lib) {
        switch (k) {
            case OPENBLAS: return OpenBlasRuntime.identify(prefix, lib);
            case MKL: return MklRuntime.identify(prefix, lib);
            case BLIS: return BlisRuntime.identify(prefix, lib);
            case FLEXIBLAS: return FlexiBlasRuntime.identify(prefix, lib);
            case OPENMP: return OpenMpRuntime.identify(prefix, lib);
            default: return null;
        }
    }

    /** Sets a new runtime to the policy's value and announces it. */
    private void adopt(NativeRuntime r) {
        try {
            int initial = r.threads();
            if (r.perThread()) {
                threadValues()[r.index] = initial;
                if (enforcing()) {
                    setThreadCached(r, currentShare());
                }
            } else {
                synchronized (r) {
                    r.largestSeen = initial;
                    if (enforcing()) {
                        applyProcess(r, governor.processWideThreads(), busyNow()); // enforcing: an agent governor
                    }
                }
            }
        } catch (Throwable t) {
            Log.failure("native " + r.kind.internalApi, t);
        }
        try {
            Map<String, Object> rec = r.record();
            Log.info("native runtime " + rec);
            events().nativeRuntime(rec);
        } catch (Throwable t) {
            Log.failure("native report", t);
        }
    }

    /** After a load event: undo resets of the values threadgov set (a library re-initialising its count). */
    private void reassert(List<NativeRuntime> justFound) {
        if (!enforcing()) {
            return;
        }
        for (NativeRuntime r : runtimes) {
            if (justFound.contains(r)) {
                continue;
            }
            try {
                if (r.perThread()) {
                    int[] tv = threadValues();
                    int mine = tv[r.index];
                    if (mine > 0 && r.threads() != mine) {
                        tv[r.index] = 0;
                        setThreadCached(r, mine);
                    }
                } else {
                    synchronized (r) {
                        if (r.lastSet > 0 && r.pinned == 0) {
                            int cur = r.threads();
                            if (cur != r.lastSet) {
                                Log.info(r.id() + " changed its thread count to " + cur + "; re-applied "
                                        + r.lastSet);
                                setProcess(r, cur, r.lastSet);
                            }
                        }
                    }
                }
            } catch (Throwable t) {
                Log.failure("native reapply", t);
            }
        }
    }

    // ---------------------------------------------------------------- setters

    /** Sets the calling thread's value when it differs from the cached one; returns the previous value. */
    private int setThreadCached(NativeRuntime r, int n) {
        int[] tv = threadValues();
        int cur = tv[r.index];
        if (cur == 0) {
            cur = r.threads();
        }
        if (cur != n) {
            r.setThread(n);
            event(r, "thread", cur, n);
        }
        tv[r.index] = n;
        return cur;
    }

    /** Moves a process-wide runtime toward {@code want} if safe now (holding r's monitor). */
    private void applyProcess(NativeRuntime r, int want, int busy) {
        int from = busy == 0 || r.lastSet == 0 ? r.threads() : r.lastSet;
        if (from == want) {
            r.lastSet = want;
            return;
        }
        if (r.processChangeSafe(from, want, busy)) {
            setProcess(r, from, want);
        }
    }

    /** Sets a process-wide value (holding r's monitor). */
    private void setProcess(NativeRuntime r, int from, int to) {
        r.setProcess(to);
        r.lastSet = to;
        r.largestSeen = Math.max(r.largestSeen, to);
        event(r, "process", from, to);
    }

    private void event(NativeRuntime r, String scope, int from, int to) {
        if (governor != null) {
            try {
                governor.events().nativeLimit(r.id(), scope, from, to, Thread.currentThread().getName());
            } catch (Throwable t) {
                Log.failure("native event", t);
            }
        }
        if (Log.debugEnabled()) {
            Log.debug(r.id() + " " + scope + " threads " + from + " -> " + to + " on "
                    + Thread.currentThread().getName());
        }
    }

    private int[] threadValues() {
        int[] tv = threadValues.get();
        int need = runtimes.length;
        if (tv.length < need) {
            tv = Arrays.copyOf(tv, Math.max(need, tv.length * 2));
            threadValues.set(tv);
        }
        return tv;
    }

    // ---------------------------------------------------------------- governor view

    /** True when threadgov may change native settings on its own: an agent governor that enforces. */
    private boolean enforcing() {
        return governor != null && governor.config().enforcing();
    }

    private int budget() {
        return governor != null ? governor.budget() : standaloneBudget;
    }

    private int busyNow() {
        return governor != null ? governor.busyWorkers() : 0;
    }

    private int currentShare() {
        return governor != null ? governor.currentShare() : standaloneBudget;
    }

    private EventSink events() {
        return governor != null ? governor.events() : EventSink.NONE;
    }
}
