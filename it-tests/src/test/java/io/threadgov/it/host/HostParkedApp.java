package io.threadgov.it.host;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A JVM whose pool is busy but computes nothing, as a Spark executor's dispatcher is: a fixed pool of 2 whose two
 * tasks never end, each parked in {@code LinkedBlockingQueue.take()} for a message that comes only at exit. Prints
 * {@code ready} once both tasks wait, waits for a line on stdin, then (given {@code blasMs}) main calls JavaCPP
 * OpenBLAS dgemm (n=256) for {@code blasMs} beside the parked pair, as an executor's task thread does, and prints
 * {@code blas calls=N threads_last=T threads_max=M} (OpenBLAS's process-wide count read after each call);
 * stays so for {@code waitMs}, then exits.
 *
 * <p>args: {@code waitMs [blasMs]}
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
        long blasMs = args.length > 1 ? Long.parseLong(args[1]) : 0;
        java.util.function.IntSupplier threads = blasMs > 0
                ? io.threadgov.it.natives.JavaCppOpenBlas.threads(io.threadgov.it.natives.JavaCppOpenBlas.load()) : null;
        System.out.println("ready");
        System.out.flush();
        if (System.in.read() < 0) {
            return;
        }
        if (threads != null) {
            HostApp.Product product = new HostApp.Product();
            long end = System.currentTimeMillis() + blasMs;
            int calls = 0;
            int last = 0;
            int max = 0;
            while (System.currentTimeMillis() < end) {
                product.run(calls);
                calls++;
                last = threads.getAsInt();
                max = Math.max(max, last);
            }
            System.out.println("blas calls=" + calls + " threads_last=" + last + " threads_max=" + max);
            System.out.flush();
        }
        Thread.sleep(waitMs);
        System.out.println("done");
        System.out.flush();
        System.exit(0); // the report is written with both tasks still parked in their loops
    }
}
