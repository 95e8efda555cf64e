package io.threadgov.it.reliability.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;

/**
 * Does some nested pool work, prints {@code ready=true}, then keeps its nested pools alive until the file
 * named by args[0] exists (at most 60 s), and exits 0: lets a test look at the running process (its file
 * descriptors) or change its surroundings (plant a symbolic link) while the agent is active.
 */
public final class WaitingApp {

    public static void main(String[] args) throws Exception {
        Path go = Path.of(args[0]);
        ExecutorService outer = Executors.newFixedThreadPool(2);
        long r = outer.submit(() -> {
            ForkJoinPool fj = new ForkJoinPool(4);
            ExecutorService fixed = Executors.newFixedThreadPool(4);
            long s = fj.submit(() -> 21L).get() + fixed.submit(() -> 21L).get();
            for (int i = 0; i < 600 && !Files.exists(go); i++) {
                if (i == 0) {
                    System.out.println("ready=true");
                    System.out.flush();
                }
                Thread.sleep(100);
            }
            fj.shutdown();
            fixed.shutdown();
            return s;
        }).get();
        outer.shutdown();
        System.out.println("result=" + r);
    }
}
