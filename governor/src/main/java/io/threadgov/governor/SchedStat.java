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

    /** The calling thread's {run, run-queue} nanoseconds, or null. About 8 us: called for sampled tasks only. */
    static long[] self() {
        return AVAILABLE ? read("/proc/thread-self/schedstat") : null;
    }

    /** Thread {@code tid} of this process's {run, run-queue} nanoseconds, or null (ended, unknown). */
    static long[] of(int tid) {
        return AVAILABLE && tid > 0 ? read("/proc/self/task/" + tid + "/schedstat") : null;
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
