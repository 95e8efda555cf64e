package io.threadgov.governor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A thread's scheduling state as Linux shows it ({@code /proc/self/task/TID/stat}): whether it is runnable
 * ("R": on a CPU or waiting in a run queue for one) at this moment. A thread descheduled by a busy machine is
 * runnable; a thread blocked in a native call (a socket read: RUNNABLE to the JVM) sleeps. Elsewhere, or where
 * the files are missing, every answer is unknown.
 */
final class KernelThreadState {

    static final int UNKNOWN = -1;
    static final int NOT_RUNNABLE = 0;
    static final int RUNNABLE = 1;

    private static final boolean AVAILABLE = Files.isReadable(Path.of("/proc/thread-self/stat"));

    private KernelThreadState() {
    }

    /** The calling thread's kernel thread id, or -1 when it cannot be read. */
    static int currentTid() {
        if (!AVAILABLE) {
            return -1;
        }
        try {
            // "/proc/thread-self" links to "PID/task/TID"
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Whether thread {@code tid} of this process is runnable now: RUNNABLE, NOT_RUNNABLE or UNKNOWN. */
    static int of(int tid) {
        if (tid <= 0 || !AVAILABLE) {
            return UNKNOWN;
        }
        try {
            return parse(Files.readString(Path.of("/proc/self/task/" + tid + "/stat"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return UNKNOWN; // the thread ended, or the file went away
        }
    }

    /** The state of a stat line "tid (comm) S ...", where comm may hold spaces and parentheses. */
    static int parse(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0 || close + 2 >= line.length()) {
            return UNKNOWN;
        }
        return line.charAt(close + 2) == 'R' ? RUNNABLE : NOT_RUNNABLE;
    }
}
