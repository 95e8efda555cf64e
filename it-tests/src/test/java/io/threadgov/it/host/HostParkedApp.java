package io.threadgov.it.host;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A JVM whose pool is busy but computes nothing, as a Spark executor's dispatcher is: a fixed pool of 2 whose two
 * tasks never end, each parked in {@code LinkedBlockingQueue.take()} for a message that comes only at exit. Prints
 * {@code ready} once both tasks wait, waits for a line on stdin, stays so for {@code waitMs}, then exits.
 *
 * <p>args: {@code waitMs}
 */
public final class HostParkedApp {

    public static void main(String[] args) throws Exception {
        long waitMs = Long.parseLong(args[0]);
        LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(2);
        ExecutorService dispatcher = Executors.newFixedThreadPool(2);
        for (int i = 0; i < 2; i++) {
            dispatcher.execute(() -> {
                started.countDown();
                try {
                    while (!"stop".equals(inbox.take())) {
                        // a message would be handled here
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        started.await();
        System.out.println("ready");
        System.out.flush();
        if (System.in.read() < 0) {
            return;
        }
        Thread.sleep(waitMs);
        System.out.println("done");
        System.out.flush();
        System.exit(0); // the report is written with both tasks still parked in their loops
    }
}
