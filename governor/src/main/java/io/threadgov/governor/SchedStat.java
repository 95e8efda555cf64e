package io.threadgov.governor;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says of a thread's time ({@code /proc/.../schedstat}): the nanoseconds it ran on a core and the
 * nanoseconds it waited in a run queue for one. A thread descheduled by a busy machine waits in a run queue; a
 * thread blocked in a sleep, a lock or a socket read does neither. Elsewhere, or where the files are missing,
 * nothing is measured ({@link #AVAILABLE} false, every read null).
 */
final class SchedStat {

    static final boolean AVAILABLE = Files.isReadable(Path.of("/proc/thread-self/schedstat"));

    private SchedStat() {
    }

    /*
     * The run time comes from the thread's CPU clock (ThreadMXBean), not from schedstat's first field: Linux
     * prints a running thread's sum_exec_runtime as of its last scheduler tick (4 ms at 250 Hz), which for
     * tasks of a few milliseconds read far too little (a pool of computing 2 ms tasks read 0.3), while the CPU
     * clock brings it up to date. The run-queue wait is exact whenever the thread read is running: a wait is
     * added when it ends, and the reader (the thread itself, or the relief scan that finds no worker runnable)
     * looks only then.
     */

    private static final java.lang.management.ThreadMXBean THREADS = threads();

    private static java.lang.management.ThreadMXBean threads() {
        try {
            java.lang.management.ThreadMXBean m = java.lang.management.ManagementFactory.getThreadMXBean();
            if (!m.isThreadCpuTimeSupported()) {
                return null;
            }
            if (!m.isThreadCpuTimeEnabled()) {
                m.setThreadCpuTimeEnabled(true);
            }
            return m;
        } catch (RuntimeException | Error e) {
            return null;
        }
    }

    /*
     * The voluntary context switches tell a wait from a stall: a thread that blocks (a read, a sleep, a lock, a
     * future) gives up its core voluntarily at least once, while time the whole machine was not running the
     * process (a VM's vCPU descheduled by its host: measured on a loaded 2-core VM, 40-80 ms gaps that every
     * thread showed alike, in no run queue) is neither run time nor a run-queue wait and would read as waiting.
     */

    /**
     * The calling thread's {run, run-queue, voluntary switches}, or null. About 20 us: called for sampled tasks
     * only.
     */
    static long[] self() {
        if (!AVAILABLE || THREADS == null) {
            return null;
        }
        return complete(read("/proc/thread-self/schedstat"), THREADS.getCurrentThreadCpuTime(),
                "/proc/thread-self/status");
    }

    /** Thread {@code t} (kernel id {@code tid}) of this process's {run, run-queue, voluntary switches}, or null. */
    static long[] of(Thread t, int tid) {
        if (!AVAILABLE || THREADS == null || tid <= 0) {
            return null;
        }
        return complete(read("/proc/self/task/" + tid + "/schedstat"), THREADS.getThreadCpuTime(t.getId()),
                "/proc/self/task/" + tid + "/status");
    }

    private static long[] complete(long[] s, long cpu, String status) {
        if (s == null || cpu < 0) {
            return null;
        }
        long v = voluntarySwitches(status);
        return v < 0 ? null : new long[] {cpu, s[1], v};
    }

    /** The "voluntary_ctxt_switches:" line of a status file, or -1. */
    private static long voluntarySwitches(String file) {
        byte[] b = new byte[4096];
        int n = 0;
        try (FileInputStream in = new FileInputStream(file)) {
            for (int r; n < b.length && (r = in.read(b, n, b.length - n)) > 0; ) {
                n += r;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return parseVoluntary(b, n);
    }

    static long parseVoluntary(byte[] b, int n) {
        byte[] key = "\nvoluntary_ctxt_switches:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + key.length <= n; i++) {
            for (int k = 0; k < key.length; k++) {
                if (b[i + k] != key[k]) {
                    continue outer;
                }
            }
            int j = i + key.length;
            while (j < n && (b[j] == ' ' || b[j] == '\t')) {
                j++;
            }
            long v = 0;
            int digits = 0;
            while (j < n && b[j] >= '0' && b[j] <= '9') {
                v = v * 10 + (b[j++] - '0');
                digits++;
            }
            return digits > 0 ? v : -1;
        }
        return -1;
    }

    private static long[] read(String file) {
        byte[] b = new byte[96];
        int n;
        try (FileInputStream in = new FileInputStream(file)) {
            n = in.read(b);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return parse(b, n);
    }

    /** "RUN_NS RUNQUEUE_NS SLICES": the first two fields, or null when malformed. */
    static long[] parse(byte[] b, int n) {
        long[] out = new long[2];
        int i = 0;
        for (int field = 0; field < 2; field++) {
            long v = 0;
            int digits = 0;
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                v = v * 10 + (b[i++] - '0');
                digits++;
            }
            if (digits == 0 || (field == 0 && (i >= n || b[i] != ' '))) {
                return null;
            }
            out[field] = v;
            i++;
        }
        return out;
    }
}
