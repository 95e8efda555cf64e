package io.threadgov.kernels;

/** Deterministic pseudo-random numbers and a CPU-bound hash used as "work" by the pure Java kernels. */
public final class Mix {
    private Mix() {
    }

    /** splitmix64 finaliser: a few multiply/xor-shift rounds of pure ALU work. */
    public static long hash(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A heavier unit of work: a few dependent hash rounds (so the JIT cannot vectorise it away). */
    public static long work(long x) {
        long h = x;
        for (int r = 0; r < 4; r++) {
            h = hash(h);
        }
        return h;
    }

    /** Sum of work(i) over [from, to): sequential, exact in two's complement. */
    public static long sumWork(long from, long to) {
        long s = 0;
        for (long i = from; i < to; i++) {
            s += work(i);
        }
        return s;
    }

    /** Fills an array with values in [-0.5, 0.5) from a seed. */
    public static void fill(double[] a, long seed) {
        long st = seed * 0x2545F4914F6CDD1DL + 1;
        for (int i = 0; i < a.length; i++) {
            st = hash(st);
            a[i] = (st >>> 11) * 0x1.0p-53 - 0.5;
        }
    }
}
