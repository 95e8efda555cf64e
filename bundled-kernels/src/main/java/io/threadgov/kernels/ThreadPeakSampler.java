package io.threadgov.kernels;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Samples the number of live threads while a kernel runs.
 *
 * <p>Two counts: OS threads of the process ({@code /proc/self/task}: Java threads, JVM internals and the
 * native threads of OpenBLAS/OpenMP, which the JVM does not see) sampled every {@link #PERIOD_MS} ms by a
 * daemon thread, and Java threads from {@link ThreadMXBean#getPeakThreadCount()} after a reset. The sampler
 * thread itself is counted in both, equally in every configuration.
 */
public final class ThreadPeakSampler implements AutoCloseable {
    static final long PERIOD_MS = 2;
    private static final File TASKS = new File("/proc/self/task");

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile int peakOs;

    public ThreadPeakSampler() {
        sampler = new Thread(this::loop, "kernel-thread-sampler");
        sampler.setDaemon(true);
    }

    /** Starts a measured phase: resets both peaks. */
    public void start() {
        mx.resetPeakThreadCount();
        peakOs = osThreads();
        if (!sampler.isAlive()) {
            sampler.start();
        }
    }

    /** Peak OS-level thread count since {@link #start()} (falls back to Java threads without /proc). */
    public int peakOsThreads() {
        int os = Math.max(peakOs, osThreads());
        return os > 0 ? os : peakJavaThreads();
    }

    /** Peak Java thread count since {@link #start()}. */
    public int peakJavaThreads() {
        return mx.getPeakThreadCount();
    }

    private void loop() {
        while (running) {
            int n = osThreads();
            if (n > peakOs) {
                peakOs = n;
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static int osThreads() {
        String[] names = TASKS.list();
        return names == null ? -1 : names.length;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
