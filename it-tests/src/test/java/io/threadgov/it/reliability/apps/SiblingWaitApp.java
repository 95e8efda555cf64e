package io.threadgov.it.reliability.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Tasks that wait on sibling tasks of their own pool, a pattern that is correct as long as the pool has
 * enough threads: 2 outer workers each create {@code Executors.newFixedThreadPool(4)} (nested: the
 * governor cuts it to the worker's share, 1 on a budget of 2), submit a parent task that submits 2
 * children and waits on them with {@code Future.get()}, each child submitting a grandchild and waiting
 * on it too. At size 1 the parent holds the only worker while its children wait in the queue: without
 * starvation relief this never completes. The agent's worker runs a task it waits for that is still
 * queued in its own pool itself; with {@code -Dapp.timed=true} every wait is a {@code get} with a
 * timeout (of minutes), which it never runs itself, so relief must grow the pool; so with
 * {@code -Dapp.subclass=true}, a subclass whose afterExecute counts the tasks (5 per family).
 */
public final class SiblingWaitApp {

    static final boolean TIMED = Boolean.getBoolean("app.timed");
    /** A ThreadPoolExecutor subclass with an afterExecute hook, which must see every task. */
    static final boolean SUBCLASS = Boolean.getBoolean("app.subclass");

    public static void main(String[] args) throws Exception {
        ExecutorService outer = Executors.newFixedThreadPool(2);
        List<Future<String>> rs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            final int id = i;
            rs.add(outer.submit(() -> family(id)));
        }
        for (int i = 0; i < rs.size(); i++) {
            String[] r = rs.get(i).get().split(" ");
            System.out.println("family" + i + "=" + r[0]);
            System.out.println("built" + i + "=" + r[1]);
            System.out.println("largest" + i + "=" + r[2]);
            System.out.println("afterExecute" + i + "=" + r[3]);
        }
        outer.shutdown();
        System.out.println("done=true");
    }

    static long await(Future<Long> f) throws Exception {
        return TIMED ? f.get(5, java.util.concurrent.TimeUnit.MINUTES) : f.get();
    }

    static String family(int id) throws Exception {
        java.util.concurrent.atomic.AtomicInteger hooked = new java.util.concurrent.atomic.AtomicInteger();
        ThreadPoolExecutor pool = !SUBCLASS ? (ThreadPoolExecutor) Executors.newFixedThreadPool(4)
                : new ThreadPoolExecutor(4, 4, 0L, java.util.concurrent.TimeUnit.MILLISECONDS,
                        new java.util.concurrent.LinkedBlockingQueue<Runnable>()) {
                    @Override
                    protected void afterExecute(Runnable r, Throwable t) {
                        hooked.incrementAndGet();
                    }
                };
        int before = pool.getCorePoolSize();
        long sum;
        try {
            sum = pool.submit(() -> {
                List<Future<Long>> children = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    final long v = c + 10L * id;
                    children.add(pool.submit(() -> v + await(pool.submit(() -> v * v))));
                }
                long s = 0;
                for (Future<Long> f : children) {
                    s += await(f);
                }
                return s;
            }).get();
        } finally {
            pool.shutdown();
        }
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES); // the last task's afterExecute ran
        return sum + " " + before + " " + pool.getLargestPoolSize() + " " + hooked.get();
    }
}
