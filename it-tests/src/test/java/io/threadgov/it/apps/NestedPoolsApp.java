package io.threadgov.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The reference application, unmodified by and unaware of the agent. Its top-level pool, a fixed pool
 * of 4 created in {@code main}, runs 4 tasks; each task, by the arguments:
 * <ul>
 *   <li>(none): creates {@code new ForkJoinPool()}, {@code new ForkJoinPool(3)} and
 *       {@code Executors.newFixedThreadPool(8)}, computes with them, and the application prints what the pools
 *       say of their own sizes ({@code taskN=FJP,FJP3,CORE/MAX}, {@code outer=}, {@code avail=},
 *       {@code checksum=});</li>
 *   <li>{@code deep}: creates 3 pools nested in one another (a ForkJoinPool(4) at depth 1, inside it a fixed
 *       pool of 4 at depth 2, inside that a ForkJoinPool(4) at depth 3): 12 nested pools, then
 *       {@code pools-done} is printed;</li>
 *   <li>{@code deep wait}: as {@code deep}, then a task of the top-level pool creates a fixed pool of 8 and keeps
 *       it; {@code nested-size CORE MAX} is printed then and again for each stdin line, until stdin closes
 *       (for the tests that resize it from outside: MXBean, attach).</li>
 * </ul>
 */
public final class NestedPoolsApp {

    public static void main(String[] args) throws Exception {
        ExecutorService outer = Executors.newFixedThreadPool(4);
        if (args.length > 0 && args[0].equals("deep")) {
            deep(outer);
            System.out.println("pools-done");
            if (args.length > 1 && args[1].equals("wait")) {
                holdNestedPoolAndWait(outer);
            }
        } else {
            reference(outer);
        }
        outer.shutdown();
        outer.awaitTermination(1, TimeUnit.MINUTES);
    }

    static void reference(ExecutorService outer) throws Exception {
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

    /** 12 nested pools: on each of the 4 workers of {@code outer}, pools of 4 nested 3 deep. */
    static void deep(ExecutorService outer) throws Exception {
        List<Future<Double>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fs.add(outer.submit(() -> inPool(new ForkJoinPool(4),
                    () -> inPool(Executors.newFixedThreadPool(4),
                            () -> inPool(new ForkJoinPool(4), () -> Math.sqrt(2))))));
        }
        for (Future<Double> f : fs) {
            f.get();
        }
    }

    /** Runs {@code task} in {@code pool}, waits for it, and shuts the pool down. */
    static <T> T inPool(ExecutorService pool, Callable<T> task) {
        try {
            return pool.submit(task).get();
        } catch (Exception e) {
            throw new RuntimeException(e);
        } finally {
            pool.shutdown();
        }
    }

    /** Keeps a nested fixed pool of 8 alive (so it can be resized from outside) and prints its size on each stdin line. */
    static void holdNestedPoolAndWait(ExecutorService outer) throws Exception {
        ThreadPoolExecutor nested = outer.submit(() -> (ThreadPoolExecutor) Executors.newFixedThreadPool(8)).get();
        System.out.println("nested-size " + nested.getCorePoolSize() + " " + nested.getMaximumPoolSize());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (in.readLine() != null) {
            System.out.println("nested-size " + nested.getCorePoolSize() + " " + nested.getMaximumPoolSize());
        }
        nested.shutdown();
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
