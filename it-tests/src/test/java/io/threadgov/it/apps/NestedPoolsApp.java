package io.threadgov.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The reference application, unmodified by and unaware of the agent: 4 outer workers each
 * create {@code new ForkJoinPool()}, {@code new ForkJoinPool(3)} and {@code Executors.newFixedThreadPool(8)},
 * compute with them, and print what the pools say of their own sizes.
 */
public final class NestedPoolsApp {

    public static void main(String[] args) throws Exception {
        ExecutorService outer = Executors.newFixedThreadPool(4);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final int id = i;
            results.add(outer.submit(() -> work(id)));
        }
        long checksum = 0;
        for (int i = 0; i < results.size(); i++) {
            String r = results.get(i).get();
            System.out.println("task" + i + "=" + r.substring(0, r.indexOf(';')));
            checksum = checksum * 31 + Long.parseLong(r.substring(r.indexOf(';') + 1));
        }
        System.out.println("outer=" + ((ThreadPoolExecutor) outer).getCorePoolSize());
        System.out.println("avail=" + Runtime.getRuntime().availableProcessors());
        System.out.println("checksum=" + checksum);
        outer.shutdown();
    }

    static String work(int id) throws Exception {
        ForkJoinPool a = new ForkJoinPool();
        ForkJoinPool b = new ForkJoinPool(3);
        ThreadPoolExecutor c = (ThreadPoolExecutor) Executors.newFixedThreadPool(8);
        try {
            long sum = a.invoke(new Sum(0, 200_000 + id)) + b.invoke(new Sum(0, 100_000 + id));
            List<Future<Long>> fs = new ArrayList<>();
            for (int k = 0; k < 16; k++) {
                final long base = k;
                fs.add(c.submit(() -> base * base + id));
            }
            for (Future<Long> f : fs) {
                sum += f.get();
            }
            return a.getParallelism() + "," + b.getParallelism() + "," + c.getCorePoolSize() + "/" + c.getMaximumPoolSize()
                    + ";" + sum;
        } finally {
            a.shutdown();
            b.shutdown();
            c.shutdown();
        }
    }

    /** A recursive sum of x*x % 7 over [lo, hi): the ForkJoin work the test apps share. */
    public static final class Sum extends RecursiveTask<Long> {
        final long lo;
        final long hi;

        public Sum(long lo, long hi) {
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected Long compute() {
            if (hi - lo < 1000) {
                long s = 0;
                for (long x = lo; x < hi; x++) {
                    s += x * x % 7;
                }
                return s;
            }
            long mid = (lo + hi) >>> 1;
            Sum left = new Sum(lo, mid);
            left.fork();
            return new Sum(mid, hi).compute() + left.join();
        }
    }
}
