package io.threadgov.governor.jmx;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Changes the size of a live pool, the way its class allows.
 *
 * <p>ThreadPoolExecutor: the JDK requires core &lt;= max at every step, so a pool that shrinks gets its
 * core size first and a pool that grows its maximum first. Surplus idle workers end at once, busy ones
 * after their task. ForkJoinPool: {@code setParallelism} exists from JDK 19 and is called reflectively;
 * on JDK 17 and 18 a ForkJoinPool keeps its size and the outcome says so.
 */
final class PoolResizer {

    /** What happened to one pool. */
    enum Outcome { RESIZED, UNCHANGED, UNSUPPORTED, FAILED }

    private static final Method SET_PARALLELISM = findSetParallelism();

    private PoolResizer() {
    }

    private static Method findSetParallelism() {
        try {
            return ForkJoinPool.class.getMethod("setParallelism", int.class);
        } catch (NoSuchMethodException | SecurityException e) {
            return null;
        }
    }

    /** Whether ForkJoinPools can be resized in this JVM (JDK 19+). */
    static boolean canResizeForkJoin() {
        return SET_PARALLELISM != null;
    }

    /** The pool's parallelism now: core size of a ThreadPoolExecutor, parallelism of a ForkJoinPool; or -1. */
    static int sizeOf(Object pool) {
        if (pool instanceof ThreadPoolExecutor) {
            return ((ThreadPoolExecutor) pool).getCorePoolSize();
        }
        if (pool instanceof ForkJoinPool) {
            return ((ForkJoinPool) pool).getParallelism();
        }
        return -1;
    }

    static Outcome resize(Object pool, int target) {
        if (pool instanceof ThreadPoolExecutor) {
            ThreadPoolExecutor tpe = (ThreadPoolExecutor) pool;
            if (tpe.isShutdown()) {
                return Outcome.UNCHANGED;
            }
            int core = tpe.getCorePoolSize();
            int max = tpe.getMaximumPoolSize();
            if (core == target && max == target) {
                return Outcome.UNCHANGED;
            }
            if (target < core) {
                tpe.setCorePoolSize(target);
                tpe.setMaximumPoolSize(target);
            } else {
                tpe.setMaximumPoolSize(target);
                tpe.setCorePoolSize(target);
            }
            return Outcome.RESIZED;
        }
        if (pool instanceof ForkJoinPool) {
            ForkJoinPool fjp = (ForkJoinPool) pool;
            if (fjp.getParallelism() == target || fjp.isShutdown()) {
                return Outcome.UNCHANGED;
            }
            if (SET_PARALLELISM == null) {
                return Outcome.UNSUPPORTED;
            }
            try {
                SET_PARALLELISM.invoke(fjp, target);
                return Outcome.RESIZED;
            } catch (InvocationTargetException e) {
                return Outcome.FAILED;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return Outcome.FAILED;
            }
        }
        return Outcome.UNSUPPORTED;
    }
}
