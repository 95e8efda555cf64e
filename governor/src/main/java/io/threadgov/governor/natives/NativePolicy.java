package io.threadgov.governor.natives;

import io.threadgov.governor.Log;
import io.threadgov.governor.SharePolicy;

import java.util.List;
import java.util.Map;

/**
 * Which thread count each native runtime gets, for whom, and when it is safe to change: a governed worker runs
 * native code at its share, any other thread at the budget B (DESIGN.md, section 1, "Native runtimes").
 */
final class NativePolicy {

    /*
     * Policy.
     *  - Per-thread runtimes (OpenMP runtimes, MKL with mkl_set_num_threads_local): the governor calls
     *    applyToCurrentThread(share) on a worker when its task starts and its share or the native
     *    generation changed; the per-thread cache (ThreadValues) makes a repeated value cost no native call.
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
     * Libraries that reset their own thread count (ND4J's setMaxThreads, a JNI_OnLoad or static
     * initializer calling openblas_set_num_threads): after every load event the values threadgov set
     * are read back and re-applied where they differ (reassert), and the transition to no busy worker reads
     * the value back before deciding, so a reset made after a load (in a static initializer after
     * Loader.load returned) is undone at the latest when the pools next go idle. The reset calls are
     * not intercepted.
     *
     * Concurrency: the process-wide bookkeeping of a runtime (lastSet, largestSeen, pinned) is guarded by the
     * runtime's monitor; each setter call happens under it, so two threads never race on one runtime's setter
     * through threadgov (ScopedLimits takes the same monitor). Per-thread values are touched only by their
     * thread.
     *
     * Busy-count notifications: a worker that changes the busy count calls busyWorkersChanged after its
     * atomic update, and the value applied is computed from the count read again under the runtime's
     * monitor, never from the count the caller saw. The last notification to take the monitor therefore
     * applies the count as of a moment after every notified transition: a slow notifier cannot leave a
     * stale value behind (with the caller's count, a worker that saw 1 busy and entered last set 2 threads
     * while 8 workers ran: a batch many times slower; BENCHMARKS.md, History, 2026-11-22, "Full run at
     * f961460": a stale busy count).
     * Transitions the governor does not notify (counts at or past the budget) all map to 1 thread, which a
     * fresh read at or past the budget also gives.
     */

    private final GovernorView view;
    private final RuntimeDiscovery discovery;
    private final ThreadValues threadValues;

    NativePolicy(GovernorView view, RuntimeDiscovery discovery, ThreadValues threadValues) {
        this.view = view;
        this.discovery = discovery;
        this.threadValues = threadValues;
    }

    /** Runs native code on the calling thread at {@code share} threads (per-thread runtimes). */
    void applyToCurrentThread(int share) {
        for (NativeRuntime r : discovery.runtimes()) {
            if (r.perThread()) {
                threadValues.set(r, share);
            }
        }
    }

    /** The busy workers changed ({@code busyWorkers}, as the caller saw them): process-wide runtimes follow. */
    void busyWorkersChanged(int busyWorkers, int budget) {
        if (!discovery.anyProcessWide() || !view.enforcing()) {
            return;
        }
        for (NativeRuntime r : discovery.runtimes()) {
            if (!r.perThread()) {
                synchronized (r) {
                    // the count is read again under the monitor: a notification that waited here behind
                    // a later one must not apply its stale value last (see the overview)
                    boolean live = view.busyCounted();
                    int busy = live ? view.busyNow() : busyWorkers;
                    int want = live ? view.processWideThreads() : SharePolicy.processWideThreads(budget, busy);
                    if (r.pinned == 0 && (want != r.lastSet || busy == 0)) {
                        applyProcess(r, want, busy);
                    }
                }
            }
        }
    }

    /**
     * A native caller entered, or the callers all stayed out (Governor.nativeEnter, NativeCallers): process-wide
     * runtimes follow the busy count, which counts callers; lowered always, raised only when {@code mayRaise}. On every call of a lone caller this must cost nothing but reads: the monitor is taken
     * only when the value wanted differs from the value set last. That skip is safe because the thread that
     * sets a value reads the wanted value again after writing lastSet, and sets again while they differ: a
     * change of the busy count is either seen by that re-read, or made after it, and then its own thread
     * reads the new lastSet here (every access is volatile or under the monitor).
     */
    void callersChanged(boolean mayRaise) {
        if (!discovery.anyProcessWide() || !view.enforcing()) {
            return;
        }
        for (NativeRuntime r : discovery.runtimes()) {
            int first = view.processWideThreads();
            if (r.perThread() || first == r.lastSet || first > r.lastSet && !mayRaise) {
                continue;
            }
            synchronized (r) {
                for (int round = 0; round < 4 && r.pinned == 0; round++) {
                    int want = view.processWideThreads();
                    if (want == r.lastSet || want > r.lastSet && !mayRaise) {
                        break;
                    }
                    int set = r.lastSet;
                    applyProcess(r, want, view.busyNow());
                    if (r.lastSet == set) {
                        break; // not safe now (a raise past what the runtime has while others call): deferred
                    }
                }
            }
        }
    }

    /** Sets a runtime just found to the policy's value and announces it. */
    void adopt(NativeRuntime r) {
        try {
            int initial = r.threads();
            if (r.perThread()) {
                threadValues.cache(r, initial);
                if (view.enforcing()) {
                    threadValues.set(r, view.currentShare());
                }
            } else {
                synchronized (r) {
                    r.largestSeen = initial;
                    if (view.enforcing()) {
                        applyProcess(r, view.processWideThreads(), view.busyNow()); // enforcing: an agent governor
                    }
                }
            }
        } catch (Throwable t) {
            Log.failure("native " + r.kind.internalApi, t);
        }
        try {
            Map<String, Object> rec = r.record();
            Log.info("native runtime " + rec);
            view.events().nativeRuntime(rec);
        } catch (Throwable t) {
            Log.failure("native report", t);
        }
    }

    /** After a load event: undo resets of the values threadgov set (a library re-initialising its count). */
    void reassert(List<NativeRuntime> justFound) {
        if (!view.enforcing()) {
            return;
        }
        for (NativeRuntime r : discovery.runtimes()) {
            if (justFound.contains(r)) {
                continue;
            }
            try {
                if (r.perThread()) {
                    int mine = threadValues.cached(r);
                    if (mine > 0 && r.threads() != mine) {
                        threadValues.cache(r, 0);
                        threadValues.set(r, mine);
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

    /** Moves a process-wide runtime toward {@code want} if safe now (holding r's monitor). */
    void applyProcess(NativeRuntime r, int want, int busy) {
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
    void setProcess(NativeRuntime r, int from, int to) {
        r.setProcess(to);
        r.lastSet = to;
        r.changes++;
        r.noteSet(to);
        r.largestSeen = Math.max(r.largestSeen, to);
        view.changed(r, "process", from, to);
    }
}
