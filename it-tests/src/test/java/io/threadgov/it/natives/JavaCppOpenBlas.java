package io.threadgov.it.natives;

import java.nio.file.Path;
import java.util.function.IntSupplier;

/**
 * The natives test applications' JavaCPP OpenBLAS: loaded as an application loads it, and its process-wide thread
 * count read as an application would, through the application's own JNA ({@code openblas_get_num_threads}).
 */
public final class JavaCppOpenBlas {

    private JavaCppOpenBlas() {
    }

    /** Loads JavaCPP's OpenBLAS without LAPACK; returns the path of its JNI library. */
    public static String load() {
        return org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
    }

    /** {@code openblas_get_num_threads} of the OpenBLAS beside {@code jni} (what {@link #load()} returned). */
    public static IntSupplier threads(String jni) {
        String lib = Path.of(jni).resolveSibling("libopenblas_nolapack.so.0").toString();
        com.sun.jna.Function get = com.sun.jna.NativeLibrary.getInstance(lib).getFunction("openblas_get_num_threads");
        return () -> get.invokeInt(new Object[0]);
    }
}
