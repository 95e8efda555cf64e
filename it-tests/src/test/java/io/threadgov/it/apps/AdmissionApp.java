package io.threadgov.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application with a top-level {@code Executors.newFixedThreadPool(8)} whose tasks do one kind of work,
 * chosen by the first argument, and count how many of them run at once:
 * <ul>
 * <li>{@code cpu}: 32 tasks that compute (a hash loop) for about 20 ms each;
 * <li>{@code sleep}: 32 tasks that sleep 100 ms each (work that blocks);
 * <li>{@code latch}: 8 tasks that wait for each other on a CountDownLatch, then compute;
 * <li>{@code spin}: 8 tasks that spin until all 8 arrived (a wait no thread state shows);
 * <li>{@code steady}: {@value #STEADY} tasks that compute about 2 ms each, all submitted at once, so the queue
 *     stays full for about 3 s of a 2-core machine (a pool that computes steadily);
 * <li>{@code loaded}: {@code steady} while two other threads of the application (no pool's) spin all along,
 *     a machine busy with other work: the pool's workers are descheduled, not blocked;
 * <li>{@code batches}: {@value #BATCHES} batches of 32 tasks that compute about 1 ms each, the next batch
 *     submitted once the last one completed (the pool idle in between); prints {@code terminated}, whether
 *     the pool ended within 10 s of its shutdown;
 * <li>{@code twopools}: two such pools; a batch on the first, which then goes idle, then one task on the
 *     second (whose workers find every core held by the first pool's idle workers), then both at once, five
 *     times; prints {@code terminated} for both.
 * </ul>
 * Prints {@code maxConcurrent}, the pool's own sizes, a checksum and {@code done=true}.
 */
public final class AdmissionApp {

    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger maxRunning = new AtomicInteger();

    public static final int BATCHES = 20;
    public static final int STEADY = 3000;

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "cpu";
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(8);
        if (kind.equals("batches")) {
            batches(pool);
            return;
        }
        if (kind.equals("twopools")) {
            twoPools(pool, (ThreadPoolExecutor) Executors.newFixedThreadPool(8));
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        if (kind.equals("loaded")) {
            for (int i = 0; i < 2; i++) {
                Thread hog = new Thread(() -> {
                    long h = 0;
                    while (!finished.get()) {
                        h = h * 6364136223846793005L + 1;
                    }
                    if (h == 42) {
                        System.out.println("unlikely");
                    }
                }, "hog-" + i);
                hog.setDaemon(true);
                hog.start();
            }
            kind = "steady";
        }
        final String work = kind;
        int n = kind.equals("steady") ? STEADY : kind.equals("cpu") || kind.equals("sleep") ? 32 : 8;
        CountDownLatch all = new CountDownLatch(n);
        AtomicInteger arrived = new AtomicInteger();
        List<Future<Long>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int id = i;
            fs.add(pool.submit(() -> {
                enter();
                try {
                    switch (work) {
                        case "sleep":
                            Thread.sleep(100);
                            return (long) id;
                        case "latch":
                            all.countDown();
                            all.await();
                            return compute(id, 2_000_000);
                        case "spin":
                            arrived.incrementAndGet();
                            while (arrived.get() < 8) {
                                Thread.onSpinWait();
                            }
                            return compute(id, 2_000_000);
                        case "steady":
                            return compute(id, 2_000_000);
                        default:
                            return compute(id, 20_000_000);
                    }
                } finally {
                    running.decrementAndGet();
                }
            }));
        }
        long checksum = 0;
        for (Future<Long> f : fs) {
            checksum = checksum * 31 + f.get();
        }
        finished.set(true);
        System.out.println("maxConcurrent=" + maxRunning.get());
        System.out.println("pool=" + pool.getCorePoolSize() + "/" + pool.getMaximumPoolSize() + "/" + pool.getPoolSize());
        System.out.println("checksum=" + checksum);
        pool.shutdown();
        System.out.println("done=true");
    }

    private static void batches(ThreadPoolExecutor pool) throws Exception {
        long checksum = 0;
        for (int b = 0; b < BATCHES; b++) {
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                final int id = b * 32 + i;
                fs.add(pool.submit(() -> {
                    enter();
                    try {
                        return compute(id, 1_000_000);
                    } finally {
                        running.decrementAndGet();
                    }
                }));
            }
            for (Future<Long> f : fs) {
                checksum = checksum * 31 + f.get();
            }
            Thread.sleep(5); // idle between batches: the workers wait for work
        }
        System.out.println("maxConcurrent=" + maxRunning.get());
        System.out.println("checksum=" + checksum);
        pool.shutdown();
        System.out.println("terminated=" + pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
        System.out.println("done=true");
    }

    private static void twoPools(ThreadPoolExecutor first, ThreadPoolExecutor second) throws Exception {
        long checksum = 0;
        for (int round = 0; round < 5; round++) {
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                final int id = round * 100 + i;
                fs.add(first.submit(() -> compute(id, 1_000_000)));
            }
            for (Future<Long> f : fs) {
                checksum = checksum * 31 + f.get();
            }
            Thread.sleep(50); // the first pool's workers wait for work
            final int lone = round;
            checksum = checksum * 31 + second.submit(() -> compute(-lone, 100_000)).get();
            fs.clear();
            for (int i = 0; i < 16; i++) {
                final int id = round * 100 + 50 + i;
                fs.add(first.submit(() -> compute(id, 1_000_000)));
                fs.add(second.submit(() -> compute(-id, 1_000_000)));
            }
            for (Future<Long> f : fs) {
                checksum = checksum * 31 + f.get();
            }
        }
        System.out.println("checksum=" + checksum);
        first.shutdown();
        second.shutdown();
        System.out.println("terminated=" + (first.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)
                && second.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)));
        System.out.println("done=true");
    }

    private static void enter() {
        int r = running.incrementAndGet();
        maxRunning.accumulateAndGet(r, Math::max);
    }

    /** About {@code steps} ns of integer work on one core; the result depends only on the arguments. */
    static long compute(int id, int steps) {
        long h = id;
        for (int i = 0; i < steps; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
            h ^= h >>> 29;
        }
        return h;
    }
}
