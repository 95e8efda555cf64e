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
 * starvation relief this never completes.
 */
public final class SiblingWaitApp {

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
        }
        outer.shutdown();
        System.out.println("done=true");
    }

    static String family(int id) throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(4);
        try {
            int before = pool.getCorePoolSize();
            long sum = pool.submit(() -> {
                List<Future<Long>> children = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    final long v = c + 10L * id;
                    children.add(pool.submit(() -> v + pool.submit(() -> v * v).get()));
                }
                long s = 0;
                for (Future<Long> f : children) {
                    s += f.get();
                }
                return s;
            }).get();
            return sum + " " + before;
        } finally {
            pool.shutdown();
        }
    }
}
