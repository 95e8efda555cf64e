package io.threadgov.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Two levels of nesting: a top-level fixed pool of 2; each of its tasks creates a ForkJoinPool of 8;
 * each task of that creates a fixed pool of 4. Prints the sizes seen at each level.
 */
public final class DeepNestingApp {

    public static void main(String[] args) throws Exception {
        ExecutorService outer = Executors.newFixedThreadPool(2);
        List<Future<String>> fs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            fs.add(outer.submit(DeepNestingApp::level1));
        }
        for (Future<String> f : fs) {
            System.out.println("level=" + f.get());
        }
        outer.shutdown();
    }

    static String level1() throws Exception {
        ForkJoinPool mid = new ForkJoinPool(8);
        try {
            String inner = mid.submit(DeepNestingApp::level2).get();
            return mid.getParallelism() + ":" + inner;
        } finally {
            mid.shutdown();
        }
    }

    static String level2() throws Exception {
        ThreadPoolExecutor inner = (ThreadPoolExecutor) Executors.newFixedThreadPool(4);
        try {
            return inner.getCorePoolSize() + ":" + inner.submit(() -> 7).get();
        } finally {
            inner.shutdown();
        }
    }
}
