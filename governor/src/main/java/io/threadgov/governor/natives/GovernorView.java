package io.threadgov.governor.natives;

import io.threadgov.governor.EventSink;
import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;

/**
 * The native layer's view of its governor: whether it may change native settings by itself, the busy workers,
 * the calling thread's share, and where changes are reported. Without an agent (ThreadGov's standalone layer,
 * {@code governor == null}) it changes nothing by itself, and every thread's share is the budget.
 */
final class GovernorView {

    private final Governor governor;
    private final int standaloneBudget;

    GovernorView(Governor governor, int standaloneBudget) {
        this.governor = governor;
        this.standaloneBudget = standaloneBudget;
    }

    /** True when threadgov may change native settings on its own: an agent governor that enforces. */
    boolean enforcing() {
        return governor != null && governor.config().enforcing();
    }

    /** The governor's live busy-worker count is known (it has counted a busy period). */
    boolean busyCounted() {
        return governor != null && governor.busyCounted();
    }

    int busyNow() {
        return governor != null ? governor.busyWorkers() : 0;
    }

    /** The process-wide count for the busy workers now ({@link Governor#processWideThreads()}); agent only. */
    int processWideThreads() {
        return governor.processWideThreads();
    }

    int currentShare() {
        return governor != null ? governor.currentShare() : standaloneBudget;
    }

    EventSink events() {
        return governor != null ? governor.events() : EventSink.NONE;
    }

    /** New runtimes were found: every worker applies its share to them at its next task. */
    void runtimesFound() {
        if (governor != null) {
            governor.bumpNativeGeneration();
        }
    }

    /** Reports that {@code r}'s count changed ({@code scope}: "thread" or "process") on the calling thread. */
    void changed(NativeRuntime r, String scope, int from, int to) {
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
}
