package io.threadgov.it.observe;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * A child application started without the agent. It first runs a ForkJoinPool(3) and a fixed pool of 3
 * (they keep running: pools from before the attach), prints {@code ready}, then for each stdin line creates
 * a top-level fixed pool of 2 whose task creates a nested fixed pool of 8 and prints
 * {@code sizes OUTER NESTED_CORE NESTED_MAX}.
 */
public final class LateAttachApp {

    public static void main(String[] args) throws Exception {
        ForkJoinPool early = new ForkJoinPool(3);
        ExecutorService earlyFixed = Executors.newFixedThreadPool(3);
        for (int i = 0; i < 3; i++) {
            early.submit(() -> Math.sqrt(3)).get();
            earlyFixed.submit(() -> Math.sqrt(3)).get();
        }
        early.submit(() -> Math.sqrt(3)); // keep its workers around
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (in.readLine() != null) {
            ThreadPoolExecutor outer = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
            ThreadPoolExecutor nested = outer.submit(() -> (ThreadPoolExecutor) Executors.newFixedThreadPool(8)).get();
            System.out.println("sizes " + outer.getCorePoolSize() + " " + nested.getCorePoolSize() + " "
                    + nested.getMaximumPoolSize());
            nested.shutdown();
            outer.shutdown();
        }
        early.shutdown();
        earlyFixed.shutdown();
    }

    private LateAttachApp() {
    }
}
