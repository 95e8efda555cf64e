package io.threadgov.governor;

import io.threadgov.governor.relief.StarvationRelief;

/**
 * What starvation relief tells the governor: a step of a cut pool goes to its decision, the events and the log;
 * a clear wait the relief monitor saw goes to the pool's demand; and the kernel's view of the monitored threads.
 */
final class ReliefListener implements StarvationRelief.Listener {

    private final Governor governor;

    ReliefListener(Governor governor) {
        this.governor = governor;
    }

    /** Records one starvation-relief step of a cut pool: its decision (under the governor's lock), the event sink. */
    @Override
    public void stepped(Object key, int from, int to, long blockedMillis, int queued) {
        PoolDecision d = (PoolDecision) key;
        synchronized (governor) {
            d.granted(to);
            if (to > from) {
                d.reliefStep();
            }
        }
        try {
            governor.events().starvationRelief(d, from, to, blockedMillis, queued);
        } catch (Throwable t) {
            Log.failure("relief events", t);
        }
        if (Log.debugEnabled()) {
            Log.debug("relief " + d + ": " + from + " -> " + to + " (blocked " + blockedMillis + " ms, queued " + queued + ")");
        }
    }

    @Override
    public int currentTid() {
        return governor.config().demand() && SchedStat.AVAILABLE ? KernelThreadState.currentTid() : -1;
    }

    @Override
    public long[] schedstat(Thread t, int tid) {
        return SchedStat.of(t, tid);
    }

    @Override
    public boolean runnable(int tid) {
        return KernelThreadState.of(tid) == KernelThreadState.RUNNABLE;
    }

    @Override
    public void demand(Object key, long wallNanos, long ranNanos) {
        if (measures(key)) {
            governor.demand().sample((PoolDecision) key, wallNanos, ranNanos);
        }
    }

    /**
     * Only while no task of the pool has told what it does, nor its site: afterwards its tasks' own samples decide
     * (a window of a pool that computes a third of its time can find every worker in its waiting part). A pool born
     * of its site's demand is known from birth, and the scans read nothing of its workers (they read /proc for each,
     * every scan, and threw the result away).
     */
    @Override
    public boolean measures(Object key) {
        return governor.config().demand() && ((PoolDecision) key).demand().demand() < 0;
    }
}
