package io.threadgov.it.reliability.apps;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.openblas.global.openblas;

/**
 * Native limits changed while other threads are inside BLAS calls: 8 threads run OpenBLAS dgemm (JavaCPP)
 * on fixed inputs again and again and compare every result bit for bit with a reference computed first,
 * while one thread changes the BLAS thread limit args[0] times (default 10,000).
 *
 * <p>The limit goes through threadgov's public API {@code try (var l = ThreadGov.limit(n, "blas")) {}}
 * when the class is on the class path (looked up by name so this application compiles without it);
 * otherwise through OpenBLAS's own process-wide setter {@code blas_set_num_threads(n)}. Prints
 * {@code limitPath}, {@code limitChanges}, {@code dgemmCalls}, {@code mismatches}.
 */
public final class BlasLimitChurnApp {

    static final int N = 96;
    static final int THREADS = 8;

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        double[][] a = new double[THREADS][];
        double[][] b = new double[THREADS][];
        double[][] ref = new double[THREADS][];
        Random rnd = new Random(42);
        for (int t = 0; t < THREADS; t++) {
            a[t] = random(rnd);
            b[t] = random(rnd);
            ref[t] = dgemm(a[t], b[t]);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            final int id = t;
            Thread w = new Thread(() -> {
                do {
                    double[] c = dgemm(a[id], b[id]);
                    calls.incrementAndGet();
                    if (!Arrays.equals(c, ref[id])) {
                        mismatches.incrementAndGet();
                    }
                } while (!stop.get());
            }, "dgemm-" + t);
            w.start();
            workers.add(w);
        }
        Limiter limiter = Limiter.find();
        int max = Math.max(2, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < changes; i++) {
            limiter.limit(1 + i % max);
        }
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        System.out.println("limitPath=" + limiter.path);
        System.out.println("limitChanges=" + changes);
        System.out.println("dgemmCalls.atLeast" + THREADS + "=" + (calls.get() >= THREADS));
        System.out.println("mismatches=" + mismatches.get());
        System.err.println("dgemm calls: " + calls.get());
    }

    static double[] random(Random rnd) {
        double[] m = new double[N * N];
        for (int i = 0; i < m.length; i++) {
            m[i] = rnd.nextDouble() - 0.5;
        }
        return m;
    }

    static double[] dgemm(double[] a, double[] b) {
        double[] c = new double[N * N];
        openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, N, N, N, 1.0,
                a, N, b, N, 0.0, c, N);
        return c;
    }

    /** Changes the BLAS limit: threadgov's public API if present, else OpenBLAS's own setter. */
    static final class Limiter {
        final String path;
        final Method limit;

        private Limiter(String path, Method limit) {
            this.path = path;
            this.limit = limit;
        }

        static Limiter find() {
            try {
                Class<?> api = Class.forName("io.threadgov.ThreadGov");
                return new Limiter("ThreadGov.limit", api.getMethod("limit", int.class, String[].class));
            } catch (ReflectiveOperationException | LinkageError e) {
                return new Limiter("blas_set_num_threads", null);
            }
        }

        void limit(int n) throws Exception {
            if (limit == null) {
                openblas.blas_set_num_threads(n);
                return;
            }
            try (AutoCloseable l = (AutoCloseable) limit.invoke(null, n, new String[] {"blas"})) {
                // the limit holds for this scope only
            }
        }
    }
}
