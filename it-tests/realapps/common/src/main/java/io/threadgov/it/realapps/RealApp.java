package io.threadgov.it.realapps;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every real application prints, as {@code key=value} lines on stdout: the peak OS thread count of the
 * process (sampled from {@code /proc/self/task} by a daemon thread, every {@code -Dapp.peakMs} ms, 5 by
 * default; the sampler itself counts in both runs), round times and result checksums. Knows nothing of threadgov.
 */
public final class RealApp {

    private static final AtomicInteger PEAK = new AtomicInteger();
    private static volatile boolean sampling;
    /** {@code -Dapp.peakNames=true}: also print the threads' names at the peak (peak_thread_names). */
    private static final boolean NAMES_AT_PEAK = Boolean.getBoolean("app.peakNames");
    private static volatile String peakNames = "";

    private RealApp() {
    }

    /** Starts the peak sampler (once). */
    public static synchronized void startPeakSampler() {
        if (sampling) {
            return;
        }
        sampling = true;
        long every = Long.getLong("app.peakMs", 5);
        Thread t = new Thread(() -> {
            File task = new File("/proc/self/task");
            while (true) {
                String[] ids = task.list();
                if (ids != null && ids.length > PEAK.get()) {
                    PEAK.accumulateAndGet(ids.length, Math::max);
                    if (NAMES_AT_PEAK) {
                        peakNames = names(ids);
                    }
                }
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "app-peak-sampler");
        t.setDaemon(true);
        t.start();
    }

    /** The OS threads of this process now. */
    public static int threadsNow() {
        String[] ids = new File("/proc/self/task").list();
        return ids == null ? -1 : ids.length;
    }

    /** The highest thread count seen so far (the sampler's, and now's). */
    public static int peakThreads() {
        return PEAK.accumulateAndGet(threadsNow(), Math::max);
    }

    /** The names ({@code comm}) of the threads {@code ids}, sorted, counted: {@code name*count,...}. */
    static String names(String[] ids) {
        return names("self", ids);
    }

    /** {@link #names(String[])} of the threads {@code ids} of process {@code pid} ({@code self}: this one). */
    public static String names(String pid, String[] ids) {
        java.util.TreeMap<String, Integer> n = new java.util.TreeMap<>();
        for (String id : ids) {
            try {
                String comm = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "task", id, "comm")).trim();
                n.merge(comm.replaceAll("[0-9]+", "N"), 1, Integer::sum);
            } catch (java.io.IOException ended) {
                // the thread ended meanwhile
            }
        }
        StringBuilder b = new StringBuilder();
        n.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('*').append(v));
        return b.toString();
    }

    /** With {@code -Dapp.peakNames=true}: the threads' names when the peak was first seen. */
    public static String peakNames() {
        return peakNames;
    }

    public static void print(String key, Object value) {
        System.out.println(key + "=" + value);
    }

    /** Prints {@code KEY_round_ms=a,b,c} (each round's wall time) and {@code KEY_median_ms}. */
    public static void printRounds(String key, List<Long> nanos) {
        List<String> ms = new ArrayList<>();
        for (long n : nanos) {
            ms.add(String.format(Locale.ROOT, "%.1f", n / 1e6));
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
        print(key + "_round_ms", String.join(",", ms));
        print(key + "_median_ms", String.format(Locale.ROOT, "%.1f", median / 1e6));
    }

    /** An order-sensitive hash of the exact bits of {@code values}, in hex. */
    public static String checksum(double[] values) {
        long h = 17;
        for (double v : values) {
            h = h * 31 + Double.doubleToLongBits(v);
        }
        return Long.toHexString(h);
    }

    /** An order-sensitive hash of {@code values}, in hex. */
    public static String checksum(int[] values) {
        return Long.toHexString(Arrays.hashCode(values) * 0x9E3779B97F4A7C15L);
    }

    /** Every value with all its digits (Double.toString round-trips), comma-separated. */
    public static String exact(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : ",").append(v);
        }
        return b.toString();
    }

    /** A deterministic generator of test data: the same numbers on every JVM (java.util.Random's sequence). */
    public static double[][] uniform(long seed, int rows, int cols) {
        java.util.Random r = new java.util.Random(seed);
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextDouble() * 4 - 2;
            }
        }
        return m;
    }

    /**
     * CPU ticks (utime + stime, /proc/self/task/TID/stat) of the other OS threads that carry the calling thread's
     * name (its {@code comm}: the first 15 characters of its Java name), by TID: the OpenMP team threads an OpenMP runtime
     * started for it (a thread inherits its creator's name, and libgomp keeps a master's team threads for its
     * next region).
     */
    public static java.util.Map<String, Long> teamTicks() throws java.io.IOException {
        String me = Thread.currentThread().getName();
        String comm = me.length() > 15 ? me.substring(0, 15) : me;
        String self = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self")).getFileName().toString();
        java.util.Map<String, Long> ticks = new java.util.HashMap<>();
        String[] ids = new java.io.File("/proc/self/task").list();
        for (String id : ids == null ? new String[0] : ids) {
            try {
                if (!id.equals(self) && java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/task", id, "comm")).trim().equals(comm)) {
                    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/task", id, "stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(id, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                }
            } catch (java.io.IOException ended) {
                // the thread ended meanwhile
            }
        }
        return ticks;
    }

    /**
     * The team the calling thread's OpenMP regions ran with since {@code before} ({@link #teamTicks()}): itself
     * and each of its team threads that used 2 ticks (20 ms) of CPU or more meanwhile (a docked thread that took
     * no part uses none).
     */
    public static int teamSince(java.util.Map<String, Long> before) throws java.io.IOException {
        int team = 1;
        for (java.util.Map.Entry<String, Long> e : teamTicks().entrySet()) {
            if (e.getValue() - before.getOrDefault(e.getKey(), 0L) >= 2) {
                team++;
            }
        }
        return team;
    }
}
