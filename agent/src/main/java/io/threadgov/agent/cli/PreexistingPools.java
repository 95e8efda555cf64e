package io.threadgov.agent.cli;

import io.threadgov.governor.Governor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pools that run in this JVM without a governor decision: after a late attach, those the application
 * made before the agent came. ForkJoinPools are found exactly, through their workers
 * ({@link ForkJoinWorkerThread#getPool()}). A ThreadPoolExecutor cannot be reached from its threads without
 * opening java.base, so those are found by the JDK's default thread names ({@code pool-N-thread-M}) and
 * counted. Nothing is resized: the report says they run as they were.
 */
final class PreexistingPools {

    private static final Pattern DEFAULT_TPE_NAME = Pattern.compile("(pool-\\d+)-thread-\\d+");

    private PreexistingPools() {
    }

    static Map<String, Object> scan() {
        Governor g = Governor.current();
        Map<ForkJoinPool, int[]> fj = new IdentityHashMap<>();
        Map<String, int[]> tp = new TreeMap<>();
        for (Thread t : liveThreads()) {
            if (t instanceof ForkJoinWorkerThread) {
                ForkJoinPool p = ((ForkJoinWorkerThread) t).getPool();
                if (g == null || g.decisionOf(p) == null) {
                    fj.computeIfAbsent(p, k -> new int[1])[0]++;
                }
            } else {
                Matcher m = DEFAULT_TPE_NAME.matcher(t.getName());
                if (m.matches()) {
                    tp.computeIfAbsent(m.group(1), k -> new int[1])[0]++;
                }
            }
        }
        List<Map<String, Object>> fjList = new ArrayList<>();
        fj.forEach((p, n) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", p == ForkJoinPool.commonPool() ? "commonPool"
                    : "ForkJoinPool@" + Integer.toHexString(System.identityHashCode(p)));
            r.put("parallelism", p.getParallelism());
            r.put("workers", n[0]);
            fjList.add(r);
        });
        List<Map<String, Object>> tpList = new ArrayList<>();
        tp.forEach((name, n) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", name);
            r.put("threads", n[0]);
            tpList.add(r);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fork_join_pools", fjList);
        out.put("thread_pools", tpList);
        return out;
    }

    private static Thread[] liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] ts = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(ts, true)) == ts.length) {
            ts = new Thread[ts.length * 2];
        }
        Thread[] out = new Thread[n];
        System.arraycopy(ts, 0, out, 0, n);
        return out;
    }
}
