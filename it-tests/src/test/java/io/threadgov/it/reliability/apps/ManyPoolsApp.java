package io.threadgov.it.reliability.apps;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Creates, uses and shuts down many small pools (args[0], default 100,000), half top-level on the main
 * thread, half nested inside the workers of an outer pool, of four kinds (fixed, ForkJoin, single,
 * cached), and prints the heap used after full GCs before and after: {@code heap.before}, {@code heap.after},
 * {@code heap.delta} (bytes), {@code pools}, {@code millis}.
 */
public final class ManyPoolsApp {

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        ExecutorService outer = Executors.newFixedThreadPool(2);
        long sum = churn(outer, 400); // warm-up: classes loaded, code compiled, the agent's fixed costs paid
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        sum += churn(outer, total);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long after = usedAfterGc();
        outer.shutdown();
        outer.awaitTermination(1, TimeUnit.MINUTES);
        System.out.println("pools=" + (total + 400));
        System.out.println("sum=" + sum);
        System.out.println("millis=" + millis);
        System.out.println("heap.before=" + before);
        System.out.println("heap.after=" + after);
        System.out.println("heap.delta=" + (after - before));
    }

    /** {@code n} pools: n/2 on this thread, n/2 inside the two outer workers. */
    static long churn(ExecutorService outer, int n) throws Exception {
        List<Future<Long>> nested = new ArrayList<>();
        int half = n / 2;
        for (int w = 0; w < 2; w++) {
            final int from = w * (half / 2);
            final int count = w == 0 ? half / 2 : half - half / 2;
            nested.add(outer.submit(() -> {
                long s = 0;
                for (int i = 0; i < count; i++) {
                    s += useOnePool(from + i);
                }
                return s;
            }));
        }
        long s = 0;
        for (int i = 0; i < n - half; i++) {
            s += useOnePool(i);
        }
        for (Future<Long> f : nested) {
            s += f.get();
        }
        return s;
    }

    static long useOnePool(int i) throws Exception {
        ExecutorService p;
        switch (i & 3) {
            case 0: p = Executors.newFixedThreadPool(2); break;
            case 1: p = new ForkJoinPool(2); break;
            case 2: p = Executors.newSingleThreadExecutor(); break;
            default: p = Executors.newCachedThreadPool(); break;
        }
        try {
            return p.submit(() -> (long) i * 3).get();
        } finally {
            p.shutdown();
            if (!p.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("pool did not terminate");
            }
        }
    }

    static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            Thread.sleep(150);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
