package io.threadgov.governor.natives;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import io.threadgov.governor.Config;
import io.threadgov.governor.EventSink;
import io.threadgov.governor.Governor;
import io.threadgov.governor.PoolDecision;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/** Test support: the real libraries of the machine, loaded as an application would, and direct calls. */
final class Natives {

    static final String DEB = "/usr/lib/x86_64-linux-gnu/";
    static final String OPENBLAS_PTHREAD = DEB + "openblas-pthread/libopenblas.so.0";
    static final String OPENBLAS_OPENMP = DEB + "openblas-openmp/libopenblas.so.0";
    static final String BLAS_SHIM_PTHREAD = DEB + "openblas-pthread/libblas.so.3";
    static final String BLIS = DEB + "libblis.so.4";
    static final String GOMP = DEB + "libgomp.so.1";

    private Natives() {
    }

    /** dlopen as an application's own JNA code would (RTLD_LAZY, local), returning the handle. */
    static NativeLibrary load(String path) {
        return NativeLibrary.getInstance(path, Map.of(Library.OPTION_OPEN_FLAGS, 0x1));
    }

    static int callInt(NativeLibrary lib, String fn, Object... args) {
        return lib.getFunction(fn).invokeInt(args);
    }

    static void callVoid(NativeLibrary lib, String fn, Object... args) {
        lib.getFunction(fn).invokeVoid(args);
    }

    static String real(String path) {
        try {
            return Path.of(path).toRealPath().toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    static Governor governor(String args) {
        return new Governor(Config.parse(args, new Properties(), 2));
    }

    /** The records of runtimes whose filepath is {@code path}. */
    static List<Map<String, Object>> recordsOf(NativeGovernor g, String path) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : g.records()) {
            if (path.equals(r.get("filepath"))) {
                out.add(r);
            }
        }
        return out;
    }

    /** Runs {@code r} on a fresh thread and returns what it computed. */
    static int onOtherThread(java.util.function.IntSupplier r) throws InterruptedException {
        AtomicInteger out = new AtomicInteger(-99);
        Thread t = new Thread(() -> out.set(r.getAsInt()));
        t.start();
        t.join();
        return out.get();
    }

    /** Records EventSink calls. */
    static final class Events implements EventSink {
        final List<Map<String, Object>> runtimes = Collections.synchronizedList(new ArrayList<>());
        final List<String> limits = Collections.synchronizedList(new ArrayList<>());

        @Override public void poolGoverned(PoolDecision d) { }
        @Override public void starvationRelief(PoolDecision d, int from, int to, long blockedMillis, int queued) { }
        @Override public void nativeRuntime(Map<String, Object> record) { runtimes.add(record); }
        @Override public void nativeLimit(String runtime, String scope, int o, int n, String thread) {
            limits.add(runtime + " " + scope + " " + o + "->" + n);
        }
    }

    static Function fn(NativeLibrary lib, String name) {
        return lib.getFunction(name);
    }
}
