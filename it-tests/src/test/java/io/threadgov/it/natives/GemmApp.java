package io.threadgov.it.natives;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Products of JavaCPP's OpenBLAS in a fixed pool of 8, as an application makes them; prints a bitwise hash
 * of every result (C's elements as raw bits), so runs with and without the agent can be compared.
 * <ul>
 * <li>{@code variants=}: eight products of several shapes (OpenBLAS's M, the dimension of C not cut, a
 *     multiple of 32, so that they are cut), layouts, transposes, padded leading dimensions,
 *     beta != 0 and operands at a nonzero position, double and float, made in one task while a second task
 *     of the pool keeps its worker busy (so each starts below the budget).</li>
 * <li>{@code tail=}: one long product (order {@code app.n}, 1536) and a short one (half the order) started
 *     beside it: the short one's worker goes idle while the long one runs.</li>
 * </ul>
 */
public final class GemmApp {

    public static void main(String[] args) throws Exception {
        Loader.load(openblas.class);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch stop = new CountDownLatch(1);
        Future<?> busy = pool.submit(() -> {
            stop.await();
            return null;
        });
        Future<String> variants = pool.submit(GemmApp::variants);
        System.out.println("variants=" + variants.get());
        stop.countDown();
        busy.get(); // its worker is idle before the long product starts

        int n = Integer.getInteger("app.n", 1536);
        // operands made before the tasks start, so both products begin together
        Square big = new Square(n, 11);
        Square small = new Square(n / 2, 12);
        long t0 = System.nanoTime();
        Future<Long> tail = pool.submit(big::multiply);
        Future<Long> shortOne = pool.submit(small::multiply);
        System.out.println("short=" + Long.toHexString(shortOne.get()));
        System.out.println("short_ms=" + (System.nanoTime() - t0) / 1_000_000);
        System.out.println("tail=" + Long.toHexString(tail.get()));
        System.out.println("tail_ms=" + (System.nanoTime() - t0) / 1_000_000);
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** A square row-major product C = A B of order n, operands filled up front. */
    static final class Square {
        final int n;
        final DoublePointer a;
        final DoublePointer b;
        final DoublePointer c;

        Square(int n, long seed) {
            this.n = n;
            a = new DoublePointer(fill((long) n * n, seed));
            b = new DoublePointer(fill((long) n * n, seed + 1));
            c = new DoublePointer((long) n * n);
        }

        long multiply() {
            openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, n, n, 1.0,
                    a, n, b, n, 0.0, c, n);
            return hash(c, (long) n * n);
        }
    }

    static long hash(DoublePointer c, long len) {
        double[] out = new double[(int) len];
        c.position(0).get(out);
        long h = 1125899906842597L;
        for (double v : out) {
            h = 31 * h + Double.doubleToRawLongBits(v);
        }
        return h;
    }

    static String variants() {
        int rm = openblas.CblasRowMajor;
        int cm = openblas.CblasColMajor;
        int nt = openblas.CblasNoTrans;
        int t = openblas.CblasTrans;
        StringBuilder sb = new StringBuilder();
        sb.append(Long.toHexString(dgemm(rm, nt, nt, 800, 608, 500, 500, 608, 608, 0, 0.0, 1))).append(',');
        sb.append(Long.toHexString(dgemm(rm, t, nt, 777, 640, 500, 777, 640, 640, 0, 0.0, 2))).append(',');
        sb.append(Long.toHexString(dgemm(cm, nt, t, 800, 600, 500, 800, 600, 800, 0, 0.0, 3))).append(',');
        sb.append(Long.toHexString(dgemm(cm, t, t, 800, 777, 500, 500, 777, 800, 0, 0.0, 4))).append(',');
        sb.append(Long.toHexString(dgemm(rm, nt, t, 777, 640, 700, 712, 700, 650, 0, 0.5, 5))).append(',');
        sb.append(Long.toHexString(dgemm(cm, nt, nt, 768, 641, 700, 790, 710, 800, 3, -1.25, 6))).append(',');
        sb.append(Long.toHexString(sgemm(rm, nt, nt, 900, 704, 600, 600, 704, 704, 0, 0f, 7))).append(',');
        sb.append(Long.toHexString(sgemm(cm, t, nt, 896, 701, 600, 600, 600, 910, 2, 2f, 8)));
        return sb.toString();
    }

    /** C = alpha op(A) op(B) + beta C with alpha 1, operands filled from {@code seed}; the hash of C. */
    static long dgemm(int order, int ta, int tb, int m, int n, int k, int lda, int ldb, int ldc, int offset,
                      double beta, long seed) {
        boolean row = order == openblas.CblasRowMajor;
        long aLen = extent(row, ta == openblas.CblasNoTrans, m, k, lda) + offset;
        long bLen = extent(row, tb == openblas.CblasNoTrans, k, n, ldb) + offset;
        long cLen = extent(row, true, m, n, ldc) + offset;
        try (DoublePointer a = new DoublePointer(fill(aLen, seed));
             DoublePointer b = new DoublePointer(fill(bLen, seed + 1));
             DoublePointer c = new DoublePointer(fill(cLen, seed + 2))) {
            openblas.cblas_dgemm(order, ta, tb, m, n, k, 1.0, a.position(offset), lda, b.position(offset), ldb, beta,
                    c.position(offset), ldc);
            return hash(c, cLen);
        }
    }

    static long sgemm(int order, int ta, int tb, int m, int n, int k, int lda, int ldb, int ldc, int offset,
                      float beta, long seed) {
        boolean row = order == openblas.CblasRowMajor;
        long aLen = extent(row, ta == openblas.CblasNoTrans, m, k, lda) + offset;
        long bLen = extent(row, tb == openblas.CblasNoTrans, k, n, ldb) + offset;
        long cLen = extent(row, true, m, n, ldc) + offset;
        try (FloatPointer a = new FloatPointer(fillF(aLen, seed));
             FloatPointer b = new FloatPointer(fillF(bLen, seed + 1));
             FloatPointer c = new FloatPointer(fillF(cLen, seed + 2))) {
            openblas.cblas_sgemm(order, ta, tb, m, n, k, 1f, a.position(offset), lda, b.position(offset), ldb, beta,
                    c.position(offset), ldc);
            float[] out = new float[(int) cLen];
            c.position(0).get(out);
            long h = 1125899906842597L;
            for (float v : out) {
                h = 31 * h + Float.floatToRawIntBits(v);
            }
            return h;
        }
    }

    /** Elements a matrix of rows x cols (of op(X) when {@code plain} is false) spans with leading dimension ld. */
    static long extent(boolean rowMajor, boolean plain, int rows, int cols, int ld) {
        int r = plain ? rows : cols;
        int c = plain ? cols : rows;
        return rowMajor ? (long) r * ld : (long) c * ld;
    }

    static double[] fill(long len, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        double[] d = new double[(int) len];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextDouble() - 0.5;
        }
        return d;
    }

    static float[] fillF(long len, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        float[] d = new float[(int) len];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rnd.nextDouble() - 0.5);
        }
        return d;
    }
}
