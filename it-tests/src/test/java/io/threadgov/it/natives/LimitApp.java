package io.threadgov.it.natives;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Uses the public API {@code io.threadgov.ThreadGov} (reached by reflection: this module does not
 * compile against the governor) on JavaCPP's OpenBLAS, or with {@code ffm}: finds libgomp loaded through
 * the FFM API (JDK 22+) and limits it on the calling thread.
 */
public final class LimitApp {

    public static void main(String[] args) throws Throwable {
        Thread.sleep(Long.getLong("app.startDelayMs", 0));
        Class<?> api = Class.forName("io.threadgov.ThreadGov");
        Method limit = api.getMethod("limit", int.class, String[].class);
        Method runtimes = api.getMethod("nativeRuntimes");
        if (args.length > 0 && args[0].equals("ffm")) {
            ffm(limit, runtimes);
            return;
        }
        IntSupplier threads = JavaCppOpenBlas.threads(JavaCppOpenBlas.load());
        System.out.println("runtimes=" + ((List<?>) runtimes.invoke(null)).size());
        System.out.println("before=" + threads.getAsInt());
        try (AutoCloseable l = (AutoCloseable) limit.invoke(null, 1, new String[] {"blas"})) {
            System.out.println("inside=" + threads.getAsInt());
        }
        System.out.println("after=" + threads.getAsInt());
    }

    /** JDK 22+: SymbolLookup.libraryLookup(Path, Arena.global()), by reflection so this compiles on 17. */
    static void ffm(Method limit, Method runtimes) throws Throwable {
        Class<?> arena = Class.forName("java.lang.foreign.Arena");
        Object global = arena.getMethod("global").invoke(null);
        Class<?> lookup = Class.forName("java.lang.foreign.SymbolLookup");
        lookup.getMethod("libraryLookup", Path.class, arena)
                .invoke(null, Path.of("/usr/lib/x86_64-linux-gnu/libgomp.so.1"), global);
        System.out.println("runtimes=" + runtimes.invoke(null));
        try (AutoCloseable l = (AutoCloseable) limit.invoke(null, 1, new String[] {"openmp"})) {
            System.out.println("limited=" + (l != null));
        }
    }
}
