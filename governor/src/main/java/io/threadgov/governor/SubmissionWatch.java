package io.threadgov.governor;

import java.lang.ref.WeakReference;

/**
 * Which submissions may re-decide a pool for its users (DESIGN.md, section 9, "Users, not birthplace"): those to
 * a cut pool whose users may re-decide it. None until such a pool was cut (one volatile read per submission);
 * then a per-thread one-entry cache of the last pool submitted to and its decision.
 */
final class SubmissionWatch {

    private final PoolRegistry registry;
    /** Set once a pool that its users may re-decide is cut: from then on submissions are looked at. */
    private volatile boolean watching;
    /** The pool this thread last submitted to and its decision (a weak pool, so a cache never keeps one alive). */
    private final ThreadLocal<Seen> seen = new ThreadLocal<Seen>() {
        @Override
        protected Seen initialValue() {
            return new Seen();
        }
    };

    SubmissionWatch(PoolRegistry registry) {
        this.registry = registry;
    }

    /** A pool its users may re-decide was cut: submissions are looked at from now on. */
    void watch() {
        watching = true;
    }

    /** Whether submissions are looked at. */
    boolean watching() {
        return watching;
    }

    /** The decision of {@code pool}, the target of a submission, once submissions are watched; else null. */
    PoolDecision decisionOf(Object pool) {
        if (!watching) {
            return null;
        }
        Seen s = seen.get();
        PoolDecision d;
        if (s.pool.get() == pool) {
            d = s.decision;
        } else {
            d = registry.get(pool);
            s.pool = new WeakReference<>(pool);
            s.decision = d;
        }
        return d;
    }

    /** {@code d} when its users may re-decide it now (cut and re-decidable), else null. */
    static PoolDecision redecidable(PoolDecision d) {
        return d == null || !d.cut() || !d.redecidable() ? null : d;
    }

    /** A thread's last submission target. */
    private static final class Seen {
        WeakReference<Object> pool = new WeakReference<>(null);
        PoolDecision decision;
    }
}
