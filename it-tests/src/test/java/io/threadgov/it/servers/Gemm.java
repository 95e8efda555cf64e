package io.threadgov.it.servers;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The servers applications' one unit of work: a JavaCPP OpenBLAS dgemm of n=256 on inputs made from a seed,
 * answered as a checksum of every element of the product. It counts, for the tests, how many callers were inside
 * BLAS at once and on which threads: what the agent's report must agree with, measured without the agent.
 */
final class Gemm {

    static final int N = 256;

    private static final AtomicInteger INSIDE = new AtomicInteger();
    private static final AtomicInteger PEAK = new AtomicInteger();
    private static final AtomicLong CALLS = new AtomicLong();
    private static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

    private Gemm() {
    }

    /** Loads JavaCPP's OpenBLAS (without LAPACK) and runs one product on this thread, as an application warms up. */
    static void load() {
        org.bytedeco.javacpp.Loader.load(openblas_nolapack.class);
        checksum(-1);
    }

    /**
     * One dgemm C = A B of n=256, A and B drawn from {@code seed}; the hex of a hash of every element's bits. A square
     * product gives the same bits at every OpenBLAS thread count, so the answer is the same with and without the agent.
     */
    static String checksum(long seed) {
        double[] a = matrix(seed * 2);
        double[] b = matrix(seed * 2 + 1);
        double[] c = new double[N * N];
        THREADS.add(Thread.currentThread().getName());
        int now = INSIDE.incrementAndGet();
        PEAK.accumulateAndGet(now, Math::max);
        try {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, N, N, N, 1.0, a, N, b, N, 0.0, c, N);
        } finally {
            INSIDE.decrementAndGet();
        }
        CALLS.incrementAndGet();
        long h = 0;
        for (double v : c) {
            h = h * 31 + Double.doubleToLongBits(v);
        }
        return Long.toHexString(h);
    }

    private static double[] matrix(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] m = new double[N * N];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextDouble() - 0.5;
        }
        return m;
    }

    /**
     * Prints what the application saw: {@code gemm_calls} (the warm-up included), {@code peak_in_gemm} (most
     * callers inside dgemm at once), {@code gemm_threads} (how many threads called it) and their names.
     */
    static void printCounts() {
        System.out.println("gemm_calls=" + CALLS.get());
        System.out.println("peak_in_gemm=" + PEAK.get());
        Set<String> names = new TreeSet<>(THREADS);
        System.out.println("gemm_threads=" + names.size());
        System.out.println("gemm_thread_names=" + String.join(",", names));
    }
}
