package io.threadgov.governor.natives;

import java.util.Arrays;

/**
 * The count each per-thread runtime has on the calling thread, as threadgov last set or read it: a repeated value
 * costs no native call. Touched only by its own thread; indexed by {@link NativeRuntime#index} (0: not known).
 */
final class ThreadValues {

    private final GovernorView view;
    // an anonymous class, not a lambda: this is created on the application's thread at start
    private final ThreadLocal<int[]> values = new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
            return new int[4];
        }
    };

    ThreadValues(GovernorView view) {
        this.view = view;
    }

    /** Sets the calling thread's value when it differs from the cached one; returns the previous value. */
    int set(NativeRuntime r, int n) {
        int[] tv = of(r);
        int cur = tv[r.index];
        if (cur == 0) {
            cur = r.threads();
        }
        if (cur != n) {
            r.setThread(n);
            r.noteSet(n);
            view.changed(r, "thread", cur, n);
        }
        tv[r.index] = n;
        return cur;
    }

    /** The calling thread's cached value of {@code r}, 0 when not known. */
    int cached(NativeRuntime r) {
        return of(r)[r.index];
    }

    /** Caches {@code n} as the calling thread's value of {@code r} (0: forget it, read it again). */
    void cache(NativeRuntime r, int n) {
        of(r)[r.index] = n;
    }

    private int[] of(NativeRuntime r) {
        int[] tv = values.get();
        int need = r.index + 1;
        if (tv.length < need) {
            tv = Arrays.copyOf(tv, Math.max(need, tv.length * 2));
            values.set(tv);
        }
        return tv;
    }
}
