package io.threadgov.governor.natives;

import com.sun.jna.NativeLibrary;
import io.threadgov.governor.Governor;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import static io.threadgov.governor.natives.Natives.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Intel MKL 2025.0 as JavaCPP's presets ship it ({@code libmkl_rt.so.2} with Intel's {@code libiomp5}):
 * the MKL controller against the real library, identified by threadpoolctl's symbols.
 */
class MklTest {

    @Test
    void mklRtIsFoundAndGovernedPerThread() throws Exception {
        Loader.load(org.bytedeco.mkl.global.mkl_rt.class);
        Governor g = governor("cores=2");
        NativeGovernor ng = new NativeGovernor(g);
        g.natives(ng);
        ng.libraryLoaded("javacpp mkl");

        List<Map<String, Object>> mkl = ng.records().stream().filter(r -> "mkl".equals(r.get("internal_api")))
                .collect(Collectors.toList());
        assertEquals(1, mkl.size(), ng.records().toString());
        Map<String, Object> r = mkl.get(0);
        assertEquals("blas", r.get("user_api"));
        assertEquals("libmkl_rt", r.get("prefix"));
        String path = (String) r.get("filepath");
        assertTrue(path.contains("/.javacpp/cache/") && path.endsWith("libmkl_rt.so.2"), path);
        assertTrue(String.valueOf(r.get("version")).startsWith("2025.0"), r.toString());
        assertEquals("intel", r.get("threading_layer"), "JavaCPP's mkl_rt runs on libiomp5");
        assertEquals("thread", r.get("scope"), "MKL_Set_Num_Threads_Local acts on the calling thread");
        assertTrue(ng.records().stream().anyMatch(x -> "openmp".equals(x.get("user_api"))
                && String.valueOf(x.get("filepath")).endsWith("libiomp5.so")), "its OpenMP runtime is found too: " + ng.records());

        NativeLibrary lib = load(path);
        IntSupplier maxThreads = () -> callInt(lib, "MKL_Get_Max_Threads");
        callVoid(lib, "MKL_Set_Num_Threads", 2);       // the application's own global setting
        assertEquals(2, maxThreads.getAsInt());

        ng.applyToCurrentThread(1);                       // a worker of share 1 starts a task
        assertEquals(1, maxThreads.getAsInt(), "this thread runs MKL at its share");
        assertEquals(2, onOtherThread(maxThreads), "other threads keep the global value");
        ng.applyToCurrentThread(2);
        assertEquals(2, maxThreads.getAsInt());

        try (AutoCloseable l = ng.limit(1, "blas")) {
            assertEquals(1, maxThreads.getAsInt(), "a scoped limit reaches MKL");
        }
        assertEquals(2, maxThreads.getAsInt(), "and is restored on close");
    }
}
