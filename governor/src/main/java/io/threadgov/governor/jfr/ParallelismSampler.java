package io.threadgov.governor.jfr;

import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * The periodic hook of {@code threadgov.Parallelism}. JFR calls {@link #run()} once per period, and only
 * while a recording has the event enabled, so nothing here runs in a JVM that records nothing.
 *
 * <p>Runnable threads are counted from {@code ThreadMXBean.getThreadInfo(ids, 0)}: with a stack depth of 0
 * HotSpot reads thread states without a safepoint and without walking stacks, unlike
 * {@code dumpAllThreads} or {@code Thread.getAllStackTraces()}.
 */
final class ParallelismSampler implements Runnable {

    private final Governor governor;
    private ThreadMXBean threads;

    ParallelismSampler(Governor governor) {
        this.governor = governor;
    }

    @Override
    public void run() {
        try {
            ParallelismEvent e = new ParallelismEvent();
            if (!e.isEnabled()) {
                return;
            }
            if (threads == null) {
                threads = ManagementFactory.getThreadMXBean();
            }
            int budget = governor.budget();
            long[] ids = threads.getAllThreadIds();
            int runnable = 0;
            for (ThreadInfo ti : threads.getThreadInfo(ids, 0)) {
                if (ti != null && ti.getThreadState() == Thread.State.RUNNABLE) {
                    runnable++;
                }
            }
            int busy = governor.busyWorkers();
            e.budget = budget;
            e.liveThreads = ids.length;
            e.runnableThreads = runnable;
            e.busyWorkers = busy;
            e.busyCounted = governor.natives().needsBusyCount();
            e.busyRatio = (double) busy / Math.max(1, budget);
            e.runnableRatio = (double) runnable / Math.max(1, budget);
            e.poolsLive = governor.poolsLive();
            e.commit();
        } catch (Throwable t) {
            Log.failure("jfr Parallelism", t);
        }
    }
}
