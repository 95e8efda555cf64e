package io.threadgov.it.natives;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The application, unaware of the agent: a fixed pool of T threads, each running R dgemm of
 * size n (all T tasks start together), then a dgemm of size N on the main thread (the fastest of 3).
 * Prints the phase times, the BLAS thread counts seen from inside the workers and from main, and a checksum of results.
 *
 * <p>args: {@code javacpp|netlib T R n N [probe]}; probe: read the BLAS thread count with the
 * application's own JNA (javacpp only: netlib's run must not load anything from Java). With
 * {@code -Dapp.startDelayMs=MS} it sleeps that long at start instead of asking the agent's API; with
 * {@code -Dapp.bothCopies=true} it also loads JavaCPP's second OpenBLAS (with LAPACK), as the kernels do;
 * with {@code -Dapp.cachedPool=true} the pool is {@code Executors.newCachedThreadPool()}.
 */
public final class BlasPoolApp {

    interface Dgemm {
        void run(int n, double[] a, double[] b, double[] c);
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int threads = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        int big = Integer.parseInt(args[4]);
        boolean probe = args.length > 5 && args[5].equals("probe");
        Long delay = Long.getLong("app.startDelayMs");
        if (delay != null) {
            Thread.sleep(delay); // an application that loads BLAS a while after start, asking the agent nothing
        } else {
            awaitAgentLikeAnApiUser();
        }
        Dgemm dgemm;
        IntSupplier blasThreads = () -> -1;
        if (kind.equals("javacpp")) {
            String jni = JavaCppOpenBlas.load();
            if (Boolean.getBoolean("app.bothCopies")) {
                org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas.class); // a second copy, with LAPACK
            }
            dgemm = (m, a, b, c) -> org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm(
                    org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor,
                    org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans,
                    org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans, m, m, m, 1.0, a, m, b, m, 0.0, c, m);
            if (probe) {
                blasThreads = JavaCppOpenBlas.threads(jni);
            }
        } else {
            dev.ludovic.netlib.blas.BLAS blas = dev.ludovic.netlib.blas.NativeBLAS.getInstance();
            System.out.println("netlib=" + blas.getClass().getName());
            dgemm = (m, a, b, c) -> blas.dgemm("N", "N", m, m, m, 1.0, a, m, b, m, 0.0, c, m);
        }
        // warm up on main (loads the kernels, starts OpenBLAS's server threads)
        dgemm.run(64, matrix(64, 1), matrix(64, 2), new double[64 * 64]);

        ExecutorService pool = Boolean.getBoolean("app.cachedPool") ? Executors.newCachedThreadPool()
                : Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        IntSupplier probeF = blasThreads;
        List<Future<double[]>> fs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            fs.add(pool.submit(() -> {
                double[] a = matrix(n, id + 1);
                double[] b = matrix(n, id + 2);
                double[] c = new double[n * n];
                start.await();
                int seen = probeF.getAsInt();
                double sum = 0;
                for (int r = 0; r < reps; r++) {
                    dgemm.run(n, a, b, c);
                    sum += c[r % c.length] + c[c.length - 1];
                }
                return new double[] {seen, sum};
            }));
        }
        TreeSet<Integer> seen = new TreeSet<>();
        long checksum = 0;
        for (Future<double[]> f : fs) {
            double[] r = f.get();
            seen.add((int) r[0]);
            checksum = checksum * 31 + Double.doubleToLongBits(r[1]);
        }
        long poolNs = System.nanoTime() - t0;
        // at once after each batch, as a main thread that calls BLAS right after it: the first batch, then
        // 20 small ones through the same pool (each worker takes one task of each, like the first batch)
        TreeSet<Integer> afterBatch = new TreeSet<>();
        afterBatch.add(probeF.getAsInt());
        if (probe) {
            for (int b = 0; b < 20; b++) {
                CyclicBarrier together = new CyclicBarrier(threads);
                List<Future<?>> small = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    small.add(pool.submit(() -> {
                        together.await();
                        dgemm.run(64, matrix(64, 1), matrix(64, 2), new double[64 * 64]);
                        return null;
                    }));
                }
                for (Future<?> f : small) {
                    f.get();
                }
                afterBatch.add(probeF.getAsInt());
            }
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);

        double[] a = matrix(big, 7);
        double[] b = matrix(big, 8);
        double[] c = new double[big * big];
        int mainSeen = probeF.getAsInt();
        long mainNs = Long.MAX_VALUE;
        for (int r = 0; r < 3; r++) {   // the fastest of 3: the machine is shared and noisy
            long t1 = System.nanoTime();
            dgemm.run(big, a, b, c);
            mainNs = Math.min(mainNs, System.nanoTime() - t1);
        }
        for (int i = 0; i < c.length; i += 997) {
            checksum = checksum * 31 + Double.doubleToLongBits(c[i]);
        }
        System.out.println("worker_threads=" + seen.toString().replace(" ", ""));
        System.out.println("main_threads=" + mainSeen);
        System.out.println("after_batch_threads=" + afterBatch.toString().replace(" ", ""));
        System.out.println("pool_ms=" + poolNs / 1_000_000);
        System.out.println("main_ms=" + mainNs / 1_000_000);
        System.out.println("checksum=" + Long.toHexString(checksum));
    }

    /**
     * When the agent is there, asks its public API for the native runtimes before loading any BLAS, as an
     * application using {@code io.threadgov.ThreadGov} would: the agent starts its native layer on a
     * background thread, and this call waits for it, so a short run is governed from its first dgemm
     * even on a loaded machine. It loads nothing native.
     */
    static void awaitAgentLikeAnApiUser() {
        try {
            Object r = Class.forName("io.threadgov.ThreadGov").getMethod("nativeRuntimes").invoke(null);
            System.out.println("runtimes_at_start=" + ((java.util.List<?>) r).size());
        } catch (ClassNotFoundException e) {
            System.out.println("runtimes_at_start=none");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[] matrix(int n, int seed) {
        double[] m = new double[n * n];
        for (int i = 0; i < m.length; i++) {
            m[i] = ((i * 31 + seed * 17) % 101) / 101.0;
        }
        return m;
    }
}
