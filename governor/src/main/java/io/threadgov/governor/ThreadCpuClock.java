package io.threadgov.governor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Threads' CPU time from the JVM's ThreadMXBean, looked up at first use; -1 where unsupported. Whether they are runnable
 * to the OS from Linux's /proc ({@link KernelThreadState}).
 */
final class ThreadCpuClock implements CpuAdmission.CpuClock {

    private volatile ThreadMXBean threads;
    private volatile boolean unsupported;

    @Override
    public long cpuNanos(Thread t) {
        if (unsupported) {
            return -1;
        }
        ThreadMXBean m = threads;
        if (m == null) {
            m = ManagementFactory.getThreadMXBean();
            if (!m.isThreadCpuTimeSupported()) {
                unsupported = true;
                return -1;
            }
            if (!m.isThreadCpuTimeEnabled()) {
                m.setThreadCpuTimeEnabled(true);
            }
            threads = m;
        }
        return m.getThreadCpuTime(t.getId());
    }

    @Override
    public int runnable(WorkerState ws) {
        return KernelThreadState.of(ws.tid);
    }
}
