package io.threadgov.kernels;

/**
 * What a kernel computed, in a form that can be compared across runs and JVMs.
 *
 * <p>An {@link #exact} checksum (integer arithmetic, or floating point whose order of operations does not
 * depend on thread counts) must match bitwise. A non-exact one is compared with {@link #RELATIVE_TOLERANCE}.
 */
public record Checksum(String value, boolean exact) {

    /** Relative tolerance for checksums whose reduction order legitimately depends on thread counts. */
    public static final double RELATIVE_TOLERANCE = 1e-9;

    public static Checksum ofLong(long v) {
        return new Checksum(Long.toString(v), true);
    }

    /** A double that is bitwise reproducible across thread counts. */
    public static Checksum ofExactDouble(double v) {
        return new Checksum(Double.toString(v), true);
    }

    /** A double whose last bits may differ when the reduction order changes. */
    public static Checksum ofDouble(double v) {
        return new Checksum(Double.toString(v), false);
    }

    /** Whether two checksums (as printed) agree; the tolerance applies when either side is not exact. */
    public static boolean agree(String a, boolean aExact, String b, boolean bExact) {
        if (a.equals(b)) {
            return true;
        }
        if (aExact && bExact) {
            return false;
        }
        try {
            double x = Double.parseDouble(a);
            double y = Double.parseDouble(b);
            double scale = Math.max(Math.abs(x), Math.abs(y));
            return Math.abs(x - y) <= RELATIVE_TOLERANCE * scale;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Combines per-task values in task order (order-independent of completion order). */
    public static long mix(long acc, long v) {
        return acc * 31 + v;
    }
}
