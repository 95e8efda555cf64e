package io.threadgov.kernels;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * dgemm through JavaCPP's OpenBLAS ({@code org.bytedeco.openblas.global.openblas}), as an application would
 * call it: no thread count set here; OpenBLAS takes {@code OPENBLAS_NUM_THREADS} or all cores.
 */
public final class Blas {
    private Blas() {
    }

    /** Loads OpenBLAS (first use of the class does it). */
    public static void load() {
        Loader.load(openblas.class);
    }

    /** Square row-major inputs A, B of order n in native memory, filled from a seed. */
    public static final class Operands implements AutoCloseable {
        public final int n;
        public final DoublePointer a;
        public final DoublePointer b;

        public Operands(int n, long seed) {
            this.n = n;
            double[] tmp = new double[n * n];
            Mix.fill(tmp, seed);
            this.a = new DoublePointer(tmp);
            Mix.fill(tmp, seed + 7777);
            this.b = new DoublePointer(tmp);
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    /**
     * C = A x B with fresh C; returns the sum of C's elements (serial, so bitwise reproducible when C is).
     * OpenBLAS splits the m/n dimensions among its threads and keeps each element's k order, so C is
     * expected to be bitwise the same for every thread count.
     */
    public static double multiplySum(Operands ops) {
        int n = ops.n;
        try (DoublePointer c = new DoublePointer((long) n * n)) {
            openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans,
                    n, n, n, 1.0, ops.a, n, ops.b, n, 0.0, c, n);
            double[] out = new double[n * n];
            c.get(out);
            double s = 0;
            for (double v : out) {
                s += v;
            }
            return s;
        }
    }
}
