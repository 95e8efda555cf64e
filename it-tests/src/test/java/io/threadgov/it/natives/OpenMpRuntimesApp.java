package io.threadgov.it.natives;

import com.sun.jna.NativeLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An application that loads the OpenMP runtimes named in its arguments (absolute paths) with
 * {@code System.load}, as JNI libraries built against them bring them, then reads each one's
 * {@code omp_get_max_threads()} with its own JNA, on main and inside the workers of a fixed pool of 2 (a
 * worker's share is 1 at a budget of 2). Prints {@code main_PREFIX=N} and {@code worker_PREFIX=[N,...]} per
 * runtime (PREFIX: the file name up to its first dot), then {@code done=1}.
 */
public final class OpenMpRuntimesApp {

    public static void main(String[] args) throws Exception {
        List<NativeLibrary> libs = new ArrayList<>();
        for (String path : args) {
            System.load(path);
            libs.add(NativeLibrary.getInstance(path));
        }
        for (int i = 0; i < args.length; i++) {
            System.out.println("main_" + name(args[i]) + "=" + maxThreads(libs.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int i = 0; i < args.length; i++) {
            NativeLibrary lib = libs.get(i);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                fs.add(pool.submit(() -> maxThreads(lib)));
            }
            List<Integer> seen = new ArrayList<>();
            for (Future<Integer> f : fs) {
                seen.add(f.get());
            }
            System.out.println("worker_" + name(args[i]) + "=" + seen.toString().replace(" ", ""));
        }
        pool.shutdown();
        System.out.println("done=1");
    }

    static int maxThreads(NativeLibrary lib) {
        return lib.getFunction("omp_get_max_threads").invokeInt(new Object[0]);
    }

    static String name(String path) {
        String f = path.substring(path.lastIndexOf('/') + 1);
        return f.substring(0, f.indexOf('.'));
    }
}
