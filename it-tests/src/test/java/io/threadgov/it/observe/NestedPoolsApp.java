package io.threadgov.it.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A child application: one top-level fixed pool of 4 whose 4 tasks each create 3 nested pools (a
 * ForkJoinPool(4) at depth 1, inside it a fixed pool of 4 at depth 2, inside that a ForkJoinPool(4) at depth
 * 3): 12 nested pools. Prints {@code pools-done} and, with {@code wait}, then blocks until stdin closes.
 */
public final class NestedPoolsApp {

    public static void main(String[] args) throws Exception {
        ExecutorService outer = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fs.add(outer.submit(() -> {
                ForkJoinPool d1 = new ForkJoinPool(4);
                try {
                    d1.submit(() -> {
                        ExecutorService d2 = Executors.newFixedThreadPool(4);
                        try {
                            d2.submit(() -> {
                                ForkJoinPool d3 = new ForkJoinPool(4);
                                try {
                                    d3.submit(() -> Math.sqrt(2)).get();
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                } finally {
                                    d3.shutdown();
                                }
                                return null;
                            }).get();
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        } finally {
                            d2.shutdown();
                        }
                        return null;
                    }).get();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                } finally {
                    d1.shutdown();
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        System.out.println("pools-done");
        if (args.length > 0 && args[0].equals("wait")) {
            holdNestedPoolAndWait(outer);
        }
        outer.shutdown();
        outer.awaitTermination(1, TimeUnit.MINUTES);
    }

    /** Keeps a nested fixed pool alive (so the MXBean can resize it) and prints its size on each stdin line. */
    static void holdNestedPoolAndWait(ExecutorService outer) throws Exception {
        ThreadPoolExecutor[] nested = new ThreadPoolExecutor[1];
        outer.submit(() -> {
            nested[0] = (ThreadPoolExecutor) Executors.newFixedThreadPool(8);
        }).get();
        System.out.println("nested-size " + nested[0].getCorePoolSize() + " " + nested[0].getMaximumPoolSize());
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            System.out.println("nested-size " + nested[0].getCorePoolSize() + " " + nested[0].getMaximumPoolSize());
        }
        nested[0].shutdown();
    }

    private NestedPoolsApp() {
    }
}
