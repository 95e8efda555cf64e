package io.threadgov.governor;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says a thread wanted of the CPUs ({@code /proc/.../schedstat}): the nanoseconds it ran plus the
 * nanoseconds it waited in a run queue for a core. A thread descheduled by a busy machine wanted a core as much
 * as a running one; a thread blocked in a sleep, a lock or a socket read wanted none. Elsewhere, or where the
 * files are missing, nothing is measured ({@link #AVAILABLE} false, every read -1).
 */
final class SchedStat {

    static final boolean AVAILABLE = Files.isReadable(Path.of("/proc/thread-self/schedstat"));

    private SchedStat() {
    }

    /** The calling thread's run plus run-queue nanoseconds, or -1. About 8 us: called for sampled tasks only. */
    static long wantedSelf() {
        return AVAILABLE ? read("/proc/thread-self/schedstat") : -1;
    }

    /** Thread {@code tid} of this process's run plus run-queue nanoseconds, or -1 (ended, unknown). */
    static long wanted(int tid) {
        return AVAILABLE && tid > 0 ? read("/proc/self/task/" + tid + "/schedstat") : -1;
    }

    private static long read(String file) {
        byte[] b = new byte[96];
        int n;
        try (FileInputStream in = new FileInputStream(file)) {
            n = in.read(b);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return parse(b, n);
    }

    /** "RUN_NS RUNQUEUE_NS SLICES": the sum of the first two fields, or -1 when malformed. */
    static long parse(byte[] b, int n) {
        long sum = 0;
        int i = 0;
        for (int field = 0; field < 2; field++) {
            long v = 0;
            int digits = 0;
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                v = v * 10 + (b[i++] - '0');
                digits++;
            }
            if (digits == 0 || (field == 0 && (i >= n || b[i] != ' '))) {
                return -1;
            }
            sum += v;
            i++;
        }
        return sum;
    }
}
