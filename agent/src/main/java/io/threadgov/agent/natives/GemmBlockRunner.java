package io.threadgov.agent.natives;

import io.threadgov.governor.GemmBlocks;
import io.threadgov.governor.Log;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Runs one JavaCPP {@code cblas_dgemm} call as row blocks of C when {@link GemmBlocks}
 * says so: each block is a call of the original native ({@link NativeCallsTransformer#PREFIX} + its name)
 * on views of A and C moved to the block's first row, and enters OpenBLAS at the thread count of its
 * moment.
 *
 * <p>The cut is along OpenBLAS's own N dimension, the one whose blocks give bitwise the one call's
 * result: rows of C in row-major order (OpenBLAS computes C<sup>T</sup> = op(B)<sup>T</sup> op(A)<sup>T</sup>
 * in column-major order), so A and C move and B is shared; columns of C in column-major order, so B and C
 * move and A is shared. (A cut along the other dimension changes which rows OpenBLAS's kernels see as a
 * tile's remainder: measured, it changes the last bits of some products.) Line {@code i} of op(X) starts
 * at element {@code i * ldx} when X is stored in that line's direction, else at element {@code i}. Other
 * layout or transpose values, a null operand or a leading dimension below 1 run as the one call, whose own
 * checks then report them.
 *
 * <p>Two phases: the plan and every view are made first (a failure there is counted and the one call
 * runs: nothing was computed yet); then the blocks run, and what a native call throws reaches the
 * application, as the one call's would have.
 */
public final class GemmBlockRunner {

    static final int ROW_MAJOR = 101;
    static final int COL_MAJOR = 102;
    static final int NO_TRANS = 111;
    static final int TRANS = 112;
    static final int CONJ_TRANS = 113;

    private static final MethodType DOUBLE_CALL = MethodType.methodType(void.class, int.class, int.class, int.class,
            int.class, int.class, int.class, double.class, Object.class, int.class, Object.class, int.class,
            double.class, Object.class, int.class);

    /** Per class declaring the renamed natives: how to call them and make views of their pointers. */
    private static final ClassValue<Natives> NATIVES = new ClassValue<Natives>() {
        @Override
        protected Natives computeValue(Class<?> owner) {
            try {
                return new Natives(owner);
            } catch (Throwable t) {
                Log.failure("gemm blocks", t);
                return null;
            }
        }
    };

    private GemmBlockRunner() {
    }

    /** True when the product ran here as blocks; false: the caller makes the one call. */
    public static boolean run(GemmBlocks policy, Class<?> owner, int order, int transA, int transB,
                              int m, int n, int k, double alpha, Object a, int lda, Object b, int ldb, double beta,
                              Object c, int ldc) {
        int rows;
        int cut;
        int count;
        int firstCount;
        MethodHandle call;
        Object[] movedViews;
        Object[] cViews;
        boolean rowMajor = order == ROW_MAJOR;
        try {
            if (a == null || b == null || c == null || lda < 1 || ldb < 1 || ldc < 1
                    || (!rowMajor && order != COL_MAJOR) || !transpose(transA) || !transpose(transB)) {
                return false;
            }
            cut = rowMajor ? m : n;
            rows = policy.blockSize(cut, rowMajor ? n : m, k);
            if (rows <= 0) {
                if (Log.debugEnabled()) {
                    Log.debug("gemm " + m + "x" + n + "x" + k + " whole at " + policy.countNow() + " on "
                            + Thread.currentThread().getName());
                }
                return false;
            }
            Natives nat = NATIVES.get(owner);
            call = nat == null ? null : nat.dgemm;
            if (call == null) {
                return false;
            }
            Views view = nat.doubles;
            count = (cut + rows - 1) / rows;
            // row-major: rows of C and of op(A) move; column-major: columns of C and of op(B) move
            Object moved = rowMajor ? a : b;
            int movedLd = rowMajor ? lda : ldb;
            boolean movedStrided = rowMajor ? transA == NO_TRANS : transB == NO_TRANS;
            movedViews = new Object[count];
            cViews = new Object[count];
            for (int i = 0; i < count; i++) {
                long line = (long) i * rows;
                movedViews[i] = view.at(moved, movedStrided ? line * movedLd : line);
                cViews[i] = view.at(c, line * ldc);
            }
            firstCount = policy.countNow();
        } catch (Throwable t) {
            Log.failure("gemm blocks", t);
            return false;
        }
        int raised = 0;
        for (int i = 0; i < count; i++) {
            int len = Math.min(rows, cut - i * rows);
            int bm = rowMajor ? len : m;
            int bn = rowMajor ? n : len;
            Object ba = rowMajor ? movedViews[i] : a;
            Object bb = rowMajor ? b : movedViews[i];
            if (i > 0 && policy.countNow() > firstCount) {
                raised++;
            }
            try {
                call.invokeExact(order, transA, transB, bm, bn, k, alpha, ba, lda, bb, ldb, beta, cViews[i], ldc);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t); // a native declares no checked exception
            }
        }
        if (Log.debugEnabled()) {
            Log.debug("gemm " + m + "x" + n + "x" + k + " in " + count + " blocks from " + firstCount + " threads, "
                    + raised + " raised, on " + Thread.currentThread().getName());
        }
        try {
            policy.ran(count, raised);
        } catch (Throwable t) {
            Log.failure("gemm blocks", t);
        }
        return true;
    }

    private static boolean transpose(int t) {
        return t == NO_TRANS || t == TRANS || t == CONJ_TRANS;
    }

    /** The renamed natives of one class (null where that class has none) and JavaCPP's pointer views. */
    private static final class Natives {
        final MethodHandle dgemm;
        final Views doubles;

        Natives(Class<?> owner) throws ReflectiveOperationException {
            ClassLoader loader = owner.getClassLoader();
            Class<?> pointer = Class.forName("org.bytedeco.javacpp.Pointer", false, loader);
            Class<?> doublePtr = Class.forName("org.bytedeco.javacpp.DoublePointer", false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            dgemm = find(lookup, owner, "cblas_dgemm", double.class, doublePtr, DOUBLE_CALL);
            MethodHandle position = lookup.findVirtual(pointer, "position", MethodType.methodType(long.class));
            MethodHandle setPosition = lookup.findVirtual(pointer, "position", MethodType.methodType(pointer, long.class));
            doubles = new Views(lookup.findConstructor(doublePtr, MethodType.methodType(void.class, pointer)),
                    position, setPosition);
        }

        private static MethodHandle find(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> scalar,
                                         Class<?> ptr, MethodType generic) {
            try {
                MethodType exact = MethodType.methodType(void.class, int.class, int.class, int.class, int.class,
                        int.class, int.class, scalar, ptr, int.class, ptr, int.class, scalar, ptr, int.class);
                return lookup.findStatic(owner, NativeCallsTransformer.PREFIX + name, exact).asType(generic);
            } catch (ReflectiveOperationException e) {
                return null; // loaded without the renamed native
            }
        }
    }

    /** Views of JavaCPP pointers of one type: same memory, position moved (JavaCPP's copy constructor). */
    private static final class Views {
        private final MethodHandle copy;
        private final MethodHandle position;
        private final MethodHandle setPosition;

        Views(MethodHandle copy, MethodHandle position, MethodHandle setPosition) {
            this.copy = copy;
            this.position = position;
            this.setPosition = setPosition;
        }

        /** A new pointer at {@code p}'s position + {@code offset} elements. */
        Object at(Object p, long offset) throws Throwable {
            Object v = copy.invoke(p);
            long at = (long) position.invoke(p);
            setPosition.invoke(v, at + offset);
            return v;
        }
    }
}
