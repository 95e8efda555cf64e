package io.threadgov.governor;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** Which pools' workers take a core from the {@link CpuAdmission} before they run a task. */
final class AdmissionPolicy {

    private AdmissionPolicy() {
    }

    /**
     * A top-level fixed ThreadPoolExecutor (core == max, unbounded queue) built larger than the budget, in
     * enforce mode with admission on. Not: nested pools (cut to their share already), pools of other
     * semantics (a cached or bounded pool would start more threads, or reject, while tasks wait),
     * scheduled pools (their tasks are due at a time), ForkJoin pools (they manage their own parallelism).
     */
    static boolean admits(Config c, PoolDecision d, Object pool) {
        return c.admission()
                && !d.nested()
                && d.family() == PoolDecision.Family.THREAD_POOL
                && d.semantics() == PoolSemantics.FIXED
                && !(pool instanceof ScheduledThreadPoolExecutor)
                && SharePolicy.sizeToBuild(d) > c.budget();
    }
}
