package io.threadgov.it.reliability.apps;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * A full relief cycle seen through the pool's own getters: a nested {@code newFixedThreadPool(3)} (cut to
 * 1 on a budget of 2) gets 3 tasks that all block on a latch; the app waits (up to 20 s) until the pool
 * has grown to 3 workers, opens the latch, then waits (up to 60 s) until the idle pool is back at its
 * granted size. Prints {@code built}, {@code grown}, {@code shrunk}, {@code completed}.
 */
public final class ReliefCycleApp {

    public static void main(String[] args) throws Exception {
        ExecutorService outer = Executors.newFixedThreadPool(2);
        String r = outer.submit(() -> {
            ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newFixedThreadPool(3);
            int built = p.getCorePoolSize();
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                p.execute(() -> {
                    running.countDown();
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            for (int i = 0; i < 2000 && running.getCount() > 0; i++) {
                Thread.sleep(10);
            }
            int grown = p.getCorePoolSize();
            gate.countDown();
            for (int i = 0; i < 6000 && p.getCorePoolSize() > built; i++) {
                Thread.sleep(10);
            }
            int shrunk = p.getCorePoolSize();
            p.shutdown();
            p.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            return "built=" + built + "\ngrown=" + grown + "\nshrunk=" + shrunk + "\ncompleted=" + p.getCompletedTaskCount();
        }).get();
        outer.shutdown();
        System.out.println(r);
    }
}
