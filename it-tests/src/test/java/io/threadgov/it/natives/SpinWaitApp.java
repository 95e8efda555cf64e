package io.threadgov.it.natives;

import com.sun.jna.NativeLibrary;
import io.threadgov.kernels.OmpKernel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An application that builds its pool first and then loads native code, as most do: for the argument {@code kernel},
 * the bundled kernels' OpenMP JNI library (a file whose name names no runtime, linked against libgomp), run on main
 * and on a worker; for a path, that OpenMP runtime ({@code System.load}), whose {@code omp_get_max_threads()} and,
 * where it has one, {@code kmp_get_blocktime()} (LLVM and Intel OpenMP) it prints as {@code blocktime_PREFIX=N}.
 * Ends with {@code done=1} ({@code -Dapp.wait}: first prints {@code waiting} and waits for a line on stdin).
 */
public final class SpinWaitApp {

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (String a : args) {
            if (a.equals("kernel")) {
                double main = OmpKernel.potential(200, 1, 1);
                double worker = pool.submit(() -> OmpKernel.potential(200, 1, 1)).get();
                System.out.println("kernel=" + (main == worker ? "same" : main + " vs " + worker));
            } else {
                System.load(a);
                NativeLibrary lib = NativeLibrary.getInstance(a);
                lib.getFunction("omp_get_max_threads").invokeInt(new Object[0]); // initialises the runtime
                String f = a.substring(a.lastIndexOf('/') + 1);
                System.out.println("blocktime_" + f.substring(0, f.indexOf('.')) + "="
                        + lib.getFunction("kmp_get_blocktime").invokeInt(new Object[0]));
            }
        }
        pool.shutdown();
        if (System.getProperty("app.wait") != null) { // for info PID: stays until a line on stdin
            System.out.println("waiting");
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        }
        System.out.println("done=1");
    }
}
