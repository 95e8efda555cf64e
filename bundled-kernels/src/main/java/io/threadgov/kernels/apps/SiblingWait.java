package io.threadgov.kernels.apps;

import io.threadgov.kernels.Checksum;
import io.threadgov.kernels.Kernel;
import io.threadgov.kernels.Knobs;
import io.threadgov.kernels.Mix;
import io.threadgov.kernels.PhaseTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An outer fixed pool whose tasks each create a nested {@code Executors.newFixedThreadPool(cores)} (or
 * kernel.inner) and submit pairs (waiter, producer): the waiter computes, then blocks in {@code Future.get}
 * on its producer, a sibling task of the same pool submitted right after it.
 *
 * <p>Correct with a nested pool of 2 or more threads (the FIFO queue hands out each producer right after
 * its waiter, so at most one running waiter can have its producer still queued), and a deadlock with 1:
 * the one thread blocks in the waiter and the producer never runs. A governor that cuts this nested pool
 * to 1 must relieve the starvation. Knobs: kernel.size = elements per task in thousands (600; quick 150),
 * kernel.tasks (24; quick 8), {@value #PAIRS} pairs per outer task.
 */
public final class SiblingWait implements Kernel {
    static final int PAIRS = 4;

    private Knobs knobs;
    private int tasks;
    private long elements;

    @Override
    public String name() {
        return "sibling-wait";
    }

    @Override
    public String description() {
        return "fixed pool(outer) x nested fixed pool(cores) whose tasks Future.get() a sibling";
    }

    @Override
    public int minInner() {
        return 2;
    }

    @Override
    public void setUp(Knobs k) {
        this.knobs = k;
        this.tasks = k.tasks(24, 8);
        this.elements = 1000L * k.size(600, 150);
    }

    @Override
    public Checksum runOnce(PhaseTimes phases) throws Exception {
        List<Callable<Long>> work = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            long base = t * elements * 2 * PAIRS;
            work.add(() -> nested(base));
        }
        long acc = 0;
        for (long v : OuterPool.runAll(knobs.outer, work)) {
            acc = Checksum.mix(acc, v);
        }
        return Checksum.ofLong(acc);
    }

    private long nested(long base) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(knobs.innerOrCores());
        try {
            List<Future<Long>> waiters = new ArrayList<>();
            for (int p = 0; p < PAIRS; p++) {
                long from = base + 2L * p * elements;
                Future<Long>[] producer = newFutureHolder();
                // the waiter is submitted first and waits on the producer submitted after it
                Future<Long> waiter = pool.submit(() -> {
                    long own = Mix.sumWork(from, from + elements / 2);
                    Future<Long> f;
                    synchronized (producer) {
                        while (producer[0] == null) {
                            producer.wait();
                        }
                        f = producer[0];
                    }
                    return own + f.get();
                });
                Future<Long> prod = pool.submit(() -> Mix.sumWork(from + elements / 2, from + 2 * elements));
                synchronized (producer) {
                    producer[0] = prod;
                    producer.notifyAll();
                }
                waiters.add(waiter);
            }
            long acc = 0;
            for (Future<Long> w : waiters) {
                acc = Checksum.mix(acc, w.get());
            }
            return acc;
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    @SuppressWarnings("unchecked")
    private static Future<Long>[] newFutureHolder() {
        return (Future<Long>[]) new Future<?>[1];
    }
}
