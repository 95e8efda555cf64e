package io.threadgov.it.reliability.apps;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * A nested fixed pool of 4 (cut to 2 on 4 cores under an outer pool of 2) whose first worker is interrupted
 * while it waits in {@code Future.get()}, catches it and computes on (RUNNABLE) for a while; meanwhile its
 * sibling waits for a task it queued in the same pool, which the computing worker takes when it is done.
 * No worker of the pool is blocked for good, so nothing needs relief: a worker whose interrupted wait was
 * still taken for a wait would look blocked and the pool would be grown at once.
 */
public final class InterruptedWaitApp {

    public static void main(String[] args) throws Exception {
        ExecutorService outer = Executors.newFixedThreadPool(2);
        String out = outer.submit(InterruptedWaitApp::nested).get();
        outer.shutdown();
        System.out.println("result=" + out);
    }

    static String nested() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch computing = new CountDownLatch(1);
        Thread[] first = new Thread[1];
        Future<Long> a = pool.submit(() -> {
            first[0] = Thread.currentThread();
            FutureTask<Long> never = new FutureTask<>(() -> 0L);
            waiting.countDown();
            try {
                never.get();
            } catch (InterruptedException e) {
                // interrupted out of the wait: compute on
            }
            computing.countDown();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            long x = 0;
            while (System.nanoTime() < end) {
                x += System.nanoTime() % 7;
            }
            return x >= 0 ? 1L : 0L;
        });
        waiting.await();
        Thread.sleep(200); // parked inside get()
        first[0].interrupt();
        computing.await();
        Future<Long> b = pool.submit(() -> {
            Future<Long> c = pool.submit(() -> 2L); // queued: the other worker computes
            return c.get(1, TimeUnit.MINUTES); // timed: a waiter never runs it itself, relief alone decides
        });
        long sum;
        try {
            sum = a.get() + b.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        System.out.println("pool=" + ((java.util.concurrent.ThreadPoolExecutor) pool).getCorePoolSize());
        pool.shutdown();
        return Long.toString(sum);
    }
}
