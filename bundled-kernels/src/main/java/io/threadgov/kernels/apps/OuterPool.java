package io.threadgov.kernels.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * What the naive application does at the top: one {@code Executors.newFixedThreadPool(outer)} for its
 * whole life, every task submitted to it, the results collected in task order.
 *
 * <p>The pool is created on first use and kept (daemon threads) rather than created and shut down per
 * repetition: a terminated pool's threads are still exiting when the next repetition's pool starts
 * (even after {@code Thread.join}, the OS thread outlives its Java thread for a moment), so the sampled peak
 * thread count depended on that race, by up to 8 threads in either direction, with or without the agent.
 */
final class OuterPool {
    private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

    private OuterPool() {
    }

    static <T> List<T> runAll(int outer, List<Callable<T>> tasks) throws InterruptedException, ExecutionException {
        ExecutorService pool = POOLS.computeIfAbsent(outer, OuterPool::create);
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) {
            futures.add(pool.submit(t));
        }
        List<T> out = new ArrayList<>(tasks.size());
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private static ExecutorService create(int outer) {
        ThreadFactory plain = Executors.defaultThreadFactory();
        return Executors.newFixedThreadPool(outer, r -> {
            Thread t = plain.newThread(r);
            t.setDaemon(true);
            return t;
        });
    }
}
