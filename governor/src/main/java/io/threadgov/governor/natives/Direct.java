package io.threadgov.governor.natives;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * JNA direct mapping ({@link Native#register}) for the two calls on a limit's path: the thread-count
 * getter and setter. A direct call costs a fraction of a {@code Function.invoke} (no argument array,
 * no reflection). Direct mapping binds one class to one library, so each family has a few slot
 * classes; a runtime that finds no free slot (a fifth copy), or whose symbols carry affixes, stays on
 * {@code Function} calls.
 */
final class Direct {

    /** A bound getter/setter pair. */
    interface GetSet {
        int get();

        void set(int n);
    }

    private static final AtomicInteger OMP = new AtomicInteger();
    private static final AtomicInteger OPENBLAS = new AtomicInteger();

    private Direct() {
    }

    /** A direct binding of omp_get_max_threads/omp_set_num_threads in {@code lib}, or null. */
    static GetSet openMp(NativeLibrary lib) {
        switch (OMP.getAndIncrement()) {
            case 0: return bind(Omp0.class, lib, new Omp0());
            case 1: return bind(Omp1.class, lib, new Omp1());
            case 2: return bind(Omp2.class, lib, new Omp2());
            case 3: return bind(Omp3.class, lib, new Omp3());
            default: return null;
        }
    }

    /** A direct binding of openblas_get_num_threads/openblas_set_num_threads in {@code lib}, or null. */
    static GetSet openBlas(NativeLibrary lib) {
        switch (OPENBLAS.getAndIncrement()) {
            case 0: return bind(Ob0.class, lib, new Ob0());
            case 1: return bind(Ob1.class, lib, new Ob1());
            case 2: return bind(Ob2.class, lib, new Ob2());
            case 3: return bind(Ob3.class, lib, new Ob3());
            default: return null;
        }
    }

    private static GetSet bind(Class<?> c, NativeLibrary lib, GetSet g) {
        try {
            Native.register(c, lib);
            return g;
        } catch (Throwable t) {
            return null;
        }
    }

    // @formatter:off
    static final class Omp0 implements GetSet { static native int omp_get_max_threads(); static native void omp_set_num_threads(int n);
        public int get() { return omp_get_max_threads(); } public void set(int n) { omp_set_num_threads(n); } }
    static final class Omp1 implements GetSet { static native int omp_get_max_threads(); static native void omp_set_num_threads(int n);
        public int get() { return omp_get_max_threads(); } public void set(int n) { omp_set_num_threads(n); } }
    static final class Omp2 implements GetSet { static native int omp_get_max_threads(); static native void omp_set_num_threads(int n);
        public int get() { return omp_get_max_threads(); } public void set(int n) { omp_set_num_threads(n); } }
    static final class Omp3 implements GetSet { static native int omp_get_max_threads(); static native void omp_set_num_threads(int n);
        public int get() { return omp_get_max_threads(); } public void set(int n) { omp_set_num_threads(n); } }
    static final class Ob0 implements GetSet { static native int openblas_get_num_threads(); static native void openblas_set_num_threads(int n);
        public int get() { return openblas_get_num_threads(); } public void set(int n) { openblas_set_num_threads(n); } }
    static final class Ob1 implements GetSet { static native int openblas_get_num_threads(); static native void openblas_set_num_threads(int n);
        public int get() { return openblas_get_num_threads(); } public void set(int n) { openblas_set_num_threads(n); } }
    static final class Ob2 implements GetSet { static native int openblas_get_num_threads(); static native void openblas_set_num_threads(int n);
        public int get() { return openblas_get_num_threads(); } public void set(int n) { openblas_set_num_threads(n); } }
    static final class Ob3 implements GetSet { static native int openblas_get_num_threads(); static native void openblas_set_num_threads(int n);
        public int get() { return openblas_get_num_threads(); } public void set(int n) { openblas_set_num_threads(n); } }
    // @formatter:on
}
