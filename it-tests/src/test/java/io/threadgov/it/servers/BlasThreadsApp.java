package io.threadgov.it.servers;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

/**
 * Outer parallelism without a server, unaware of the agent, each task one BLAS product ({@link Gemm}): plain platform
 * threads ({@code new Thread}), Kotlin's {@code Dispatchers.Default} (its own scheduler) driven from Java, and main
 * alone calling BLAS in a loop (the lone caller, which must keep the whole budget). Issue #21.
 *
 * <p>args: {@code plain [THREADS [REPS [ROUNDS]]]} (default 8 15 3: THREADS threads started together through a latch,
 * each REPS products), {@code kotlin [TASKS [ROUNDS]]} (default 64 4: TASKS products submitted to
 * {@code Dispatchers.Default} as an Executor, then awaited), {@code lone [REPS [ROUNDS]]} (default 100 3). Product i
 * of a round uses seed i. Prints {@code checksum=} (of all products of a round, in seed order: the same every
 * round), {@code round_ms=} (each round), {@code elapsed_ms=} (the fastest round: the machine is shared) and
 * {@link Gemm#printCounts()}; kotlin also {@code pool_class=} and {@code pool_size=} (the scheduler's core pool size,
 * read from its scheduler, -1 where it could not be read).
 */
public final class BlasThreadsApp {

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int a1 = args.length > 1 ? Integer.parseInt(args[1]) : -1;
        int a2 = args.length > 2 ? Integer.parseInt(args[2]) : -1;
        int a3 = args.length > 3 ? Integer.parseInt(args[3]) : -1;
        Gemm.load();
        String checksum = null;
        List<Long> rounds = new ArrayList<>();
        int n = kind.equals("plain") ? or(a3, 3) : kind.equals("kotlin") ? or(a2, 4) : or(a2, 3);
        for (int r = 0; r < n; r++) {
            long t0 = System.nanoTime();
            String[] answers;
            switch (kind) {
                case "plain":
                    answers = plain(or(a1, 8), or(a2, 15));
                    break;
                case "kotlin":
                    answers = kotlin(or(a1, 64));
                    break;
                case "lone":
                    answers = lone(or(a1, 100));
                    break;
                default:
                    throw new IllegalArgumentException("kind: plain, kotlin or lone, not " + kind);
            }
            rounds.add((System.nanoTime() - t0) / 1_000_000);
            String sum = new Load.Answers(List.of(answers), 0).digest();
            if (checksum != null && !checksum.equals(sum)) {
                throw new IllegalStateException("round " + r + " computed " + sum + ", round 0 " + checksum);
            }
            checksum = sum;
        }
        if (kind.equals("kotlin")) {
            // the dispatcher's pool: its CoroutineScheduler (a field of the dispatcher), else the dispatcher itself
            Object dispatcher = kotlinx.coroutines.Dispatchers.getDefault();
            Object scheduler = field(dispatcher, "coroutineScheduler");
            Object pool = scheduler != null ? scheduler : dispatcher;
            Object core = field(pool, "corePoolSize");
            System.out.println("pool_class=" + pool.getClass().getName());
            System.out.println("pool_size=" + (core instanceof Integer ? core : -1));
        }
        System.out.println("checksum=" + checksum);
        System.out.println("round_ms=" + rounds.toString().replace(" ", ""));
        System.out.println("elapsed_ms=" + rounds.stream().mapToLong(Long::longValue).min().getAsLong());
        Gemm.printCounts();
    }

    private static int or(int v, int dflt) {
        return v > 0 ? v : dflt;
    }

    /** {@code threads} new platform threads, started together, each {@code reps} products. */
    static String[] plain(int threads, int reps) throws InterruptedException {
        String[] answers = new String[threads * reps];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < reps; i++) {
                    answers[id * reps + i] = Gemm.checksum(id * reps + i);
                }
            }, "plain-" + t);
            ts.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        return answers;
    }

    /** {@code tasks} products on Kotlin's {@code Dispatchers.Default}, used from Java as an Executor. */
    static String[] kotlin(int tasks) {
        Executor ex = kotlinx.coroutines.ExecutorsKt.asExecutor(kotlinx.coroutines.Dispatchers.getDefault());
        List<CompletableFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            long seed = i;
            fs.add(CompletableFuture.supplyAsync(() -> Gemm.checksum(seed), ex));
        }
        return fs.stream().map(CompletableFuture::join).toArray(String[]::new);
    }

    /** Main alone: {@code reps} products, one after the other. */
    static String[] lone(int reps) {
        String[] answers = new String[reps];
        for (int i = 0; i < reps; i++) {
            answers[i] = Gemm.checksum(i);
        }
        return answers;
    }

    /** A field of {@code o}'s class or a superclass (Kotlin's internals); null when there is none or it cannot be read. */
    private static Object field(Object o, String name) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
