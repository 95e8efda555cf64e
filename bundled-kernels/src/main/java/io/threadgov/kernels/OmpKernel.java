package io.threadgov.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The JNI OpenMP kernel ({@code src/main/c/omp_kernel.c}, built by the Maven build with gcc -fopenmp, so it
 * runs on the system libgomp). The library is packed in the jar, extracted to a temp file and
 * {@code System.load}ed on first use.
 */
public final class OmpKernel {
    private static final String RESOURCE = "/io/threadgov/kernels/native/linux-x86_64/libthreadgov_omp_kernel.so";

    static {
        load();
    }

    private OmpKernel() {
    }

    /**
     * n-body potential with a plain {@code #pragma omp parallel for}: the team size is the calling thread's
     * {@code omp_get_max_threads()}. Bitwise reproducible for every team size.
     */
    public static native double potential(int n, long seed, int sweeps);

    /** {@code omp_get_max_threads()} of the calling thread. */
    public static native int maxThreads();

    /** Forces loading. */
    public static void ensureLoaded() {
        // the static initialiser did it
    }

    private static void load() {
        try (InputStream in = OmpKernel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new UnsatisfiedLinkError("resource " + RESOURCE + " missing from the kernels jar");
            }
            Path tmp = Files.createTempFile("threadgov-omp-kernel", ".so");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            tmp.toFile().deleteOnExit();
            System.load(tmp.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("cannot extract " + RESOURCE + ": " + e);
        }
    }
}
