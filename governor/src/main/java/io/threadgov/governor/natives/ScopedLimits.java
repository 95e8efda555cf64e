package io.threadgov.governor.natives;

import io.threadgov.governor.Log;

/**
 * The scoped limits of the public API ({@code io.threadgov.ThreadGov.limit}): runs the matching runtimes at a
 * given count until the handle is closed, then restores what they had. While a process-wide runtime is held by a
 * limit, the busy-driven policy leaves it alone ({@link NativeRuntime#pinned}, under the runtime's monitor).
 */
final class ScopedLimits {

    /** The limit that changed nothing: closing it does nothing. */
    static final AutoCloseable NO_LIMIT = new AutoCloseable() {
        @Override
        public void close() {
        }
    };

    private final GovernorView view;
    private final NativePolicy policy;
    private final ThreadValues threadValues;

    ScopedLimits(GovernorView view, NativePolicy policy, ThreadValues threadValues) {
        this.view = view;
        this.policy = policy;
        this.threadValues = threadValues;
    }

    /**
     * Runs those of {@code rs} that {@code apis} names at {@code threads} (at least 1) until the returned handle is
     * closed. Per-thread runtimes change for the calling thread only; process-wide ones for the process. A limit
     * that changes nothing makes no native call.
     */
    AutoCloseable open(NativeRuntime[] rs, int threads, String[] apis) {
        Handle h = null;
        for (NativeRuntime r : rs) {
            if (!matches(r, apis)) {
                continue;
            }
            try {
                if (r.perThread()) {
                    int old = threadValues.set(r, threads);
                    if (old != threads) {
                        h = (h == null ? new Handle(this, rs.length) : h);
                        h.add(r, old);
                    }
                } else {
                    int old;
                    synchronized (r) {
                        old = r.lastSet > 0 ? r.lastSet : r.threads();
                        r.pinned++;
                        if (old != threads) {
                            policy.setProcess(r, old, threads);
                        }
                    }
                    h = (h == null ? new Handle(this, rs.length) : h);
                    h.add(r, old);
                }
            } catch (Throwable t) {
                Log.failure("native limit", t);
            }
        }
        return h == null ? NO_LIMIT : h;
    }

    /** Restores what one {@link Handle} changed. */
    private void restore(NativeRuntime r, int old) {
        try {
            if (r.perThread()) {
                threadValues.set(r, old);
                return;
            }
            synchronized (r) {
                r.pinned = Math.max(0, r.pinned - 1);
                int cur = r.lastSet;
                if (cur != old) {
                    policy.setProcess(r, cur, old);
                }
                if (r.pinned == 0 && view.enforcing()) {
                    policy.applyProcess(r, view.processWideThreads(), view.busyNow());
                }
            }
        } catch (Throwable t) {
            Log.failure("native limit", t);
        }
    }

    /**
     * Whether {@code apis} names {@code r}: "blas", "openmp", an internal name ("openblas", "blis", "mkl",
     * "flexiblas"), a prefix ("libgomp"); none names all.
     */
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

    /** A handle of {@link #open}: closes once, on any thread (per-thread values restore on the closing thread). */
    private static final class Handle implements AutoCloseable {
        private final ScopedLimits owner;
        private final NativeRuntime[] changed;
        private final int[] old;
        private int n;
        private boolean closed;

        Handle(ScopedLimits owner, int capacity) {
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
}
