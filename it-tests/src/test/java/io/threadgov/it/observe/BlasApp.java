package io.threadgov.it.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A child application that loads OpenBLAS (path in args[0]) and keeps governed workers busy for a while
 * (args[1] milliseconds), so that the native layer finds the runtime, limits it, and periodic samples run.
 */
public final class BlasApp {

    public static void main(String[] args) throws Exception {
        System.load(args[0]);
        long until = System.currentTimeMillis() + Long.parseLong(args[1]);
        ExecutorService outer = Executors.newFixedThreadPool(2);
        while (System.currentTimeMillis() < until) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                fs.add(outer.submit(() -> {
                    ExecutorService nested = Executors.newFixedThreadPool(4);
                    try {
                        nested.submit(() -> spin(20)).get();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    } finally {
                        nested.shutdown();
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        outer.shutdown();
        System.out.println("blas-done");
    }

    private static double spin(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        double x = 0;
        while (System.nanoTime() < end) {
            x += Math.sqrt(x + 1);
        }
        return x;
    }

    private BlasApp() {
    }
}
