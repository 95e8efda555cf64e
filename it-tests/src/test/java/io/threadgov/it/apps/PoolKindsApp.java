package io.threadgov.it.apps;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Creates one pool of every kind and factory, either inside a worker of an outer pool (nested) or on
 * the main thread ({@code top}), runs a task on each, and prints {@code kind.NAME=size} lines.
 */
public final class PoolKindsApp {

    /** A subclass, as applications write them. */
    static final class MyPool extends ThreadPoolExecutor {
        MyPool(int n) {
            super(n, n, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }
    }

    public static void main(String[] args) throws Exception {
        boolean top = args.length > 0 && args[0].equals("top");
        Map<String, String> sizes;
        ExecutorService outer = Executors.newFixedThreadPool(2);
        if (top) {
            sizes = createAll();
        } else {
            sizes = outer.submit(PoolKindsApp::createAll).get();
        }
        outer.shutdown();
        sizes.forEach((k, v) -> System.out.println("kind." + k + "=" + v));
        System.out.println("done=true");
    }

    static Map<String, String> createAll() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fixed", tpe(Executors.newFixedThreadPool(6)));
        m.put("single", single(Executors.newSingleThreadExecutor()));
        m.put("cached", tpe(Executors.newCachedThreadPool()));
        m.put("scheduled", tpe(Executors.newScheduledThreadPool(6)));
        m.put("stpe", tpe(new ScheduledThreadPoolExecutor(5)));
        m.put("workstealing", fjp(Executors.newWorkStealingPool(6)));
        m.put("tpeUnbounded", tpe(new ThreadPoolExecutor(5, 5, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>())));
        m.put("tpeBounded", tpe(new ThreadPoolExecutor(5, 5, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10))));
        m.put("tpeHandoff", tpe(new ThreadPoolExecutor(2, 7, 0, TimeUnit.SECONDS, new SynchronousQueue<>())));
        m.put("subclass", tpe(new MyPool(5)));
        m.put("fjp", fjp(new ForkJoinPool(6)));
        m.put("fjpAsync", fjp(new ForkJoinPool(6, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true)));
        m.put("fjpFull", fjp(new ForkJoinPool(6, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, false, 0, 256, 1,
                null, 30, TimeUnit.SECONDS)));
        return m;
    }

    static String tpe(ExecutorService e) throws Exception {
        ThreadPoolExecutor t = (ThreadPoolExecutor) e;
        int v = e.submit(() -> 42).get();
        String s = t.getCorePoolSize() + "/" + t.getMaximumPoolSize() + (v == 42 ? "" : "!");
        e.shutdown();
        return s;
    }

    static String single(ExecutorService e) throws Exception {
        int v = e.submit(() -> 42).get();
        e.shutdown();
        return v == 42 ? "ok" : "bad";
    }

    static String fjp(ExecutorService e) throws Exception {
        ForkJoinPool f = (ForkJoinPool) e;
        int v = e.submit(() -> 42).get();
        String s = f.getParallelism() + (v == 42 ? "" : "!");
        e.shutdown();
        return s;
    }
}
