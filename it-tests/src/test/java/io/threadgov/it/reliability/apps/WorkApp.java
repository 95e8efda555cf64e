package io.threadgov.it.reliability.apps;

import io.threadgov.it.apps.NestedPoolsApp.Sum;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

/**
 * An application whose output depends only on what it computes, never on pool sizes: outer workers that
 * create nested ForkJoin and fixed pools, a parallel stream, and an exit status of its own (3), so a run
 * under the agent (with or without an injected fault) can be compared with a plain run byte for byte.
 */
public final class WorkApp {

    public static void main(String[] args) throws Exception {
        ExecutorService outer = Executors.newFixedThreadPool(2);
        List<Future<Long>> rs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final int id = i;
            rs.add(outer.submit(() -> work(id)));
        }
        for (int i = 0; i < rs.size(); i++) {
            System.out.println("result" + i + "=" + rs.get(i).get());
        }
        outer.shutdown();
        System.out.println("stream=" + LongStream.range(0, 1_000_000).parallel().map(x -> x % 13).sum());
        System.out.flush();
        System.exit(3);
    }

    static long work(int id) throws Exception {
        ForkJoinPool fj = new ForkJoinPool(4);
        ExecutorService fixed = Executors.newFixedThreadPool(4);
        try {
            long s = fj.invoke(new Sum(0, 300_000 + id));
            List<Future<Long>> fs = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
                final long v = k;
                fs.add(fixed.submit(() -> v * v + id));
            }
            for (Future<Long> f : fs) {
                s += f.get();
            }
            return s;
        } finally {
            fj.shutdown();
            fixed.shutdown();
        }
    }
}
