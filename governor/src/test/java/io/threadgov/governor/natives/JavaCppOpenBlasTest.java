package io.threadgov.governor.natives;

import com.sun.jna.NativeLibrary;
import io.threadgov.governor.Governor;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.threadgov.governor.natives.Natives.*;
import static org.junit.jupiter.api.Assertions.*;

/** JavaCPP's bundled OpenBLAS 0.3.28, and Debian's copy beside it: two copies, two controllers. */
class JavaCppOpenBlasTest {

    @Test
    void bundledAndSystemCopiesAreEachGoverned() throws Exception {
        Loader.load(openblas_nolapack.class);
        Governor g = governor("cores=2");
        NativeGovernor ng = new NativeGovernor(g);
        g.natives(ng);
        ng.libraryLoaded("javacpp");

        List<Map<String, Object>> bundled = ng.records().stream()
                .filter(r -> "0.3.28".equals(r.get("version"))).collect(Collectors.toList());
        assertEquals(1, bundled.size(), ng.records().toString());
        Map<String, Object> r = bundled.get(0);
        assertEquals("openblas", r.get("internal_api"));
        assertEquals("pthreads", r.get("threading_layer"));
        assertEquals("process", r.get("scope"), "openblas_set_num_threads_local is global in pthreads builds");
        assertTrue(((String) r.get("filepath")).contains("/.javacpp/cache/"), r.toString());
        assertEquals("libopenblas", r.get("prefix"));
        NativeLibrary jcpp = load((String) r.get("filepath"));   // the copy JavaCPP calls
        java.util.function.IntSupplier bundledThreads = () -> callInt(jcpp, "openblas_get_num_threads");
        assertNotNull(r.get("architecture"));

        // JavaCPP's own view of the library it calls follows the governor
        ng.busyWorkersChanged(8, 2);
        assertEquals(1, bundledThreads.getAsInt());
        assertEquals(1, onOtherThread(bundledThreads));
        ng.busyWorkersChanged(0, 2);
        assertEquals(2, bundledThreads.getAsInt());

        // a second copy loaded later is found by the next load event and governed separately
        if (exists(OPENBLAS_PTHREAD)) {
            NativeLibrary deb = load(OPENBLAS_PTHREAD);
            ng.libraryLoaded("debian");
            long copies = ng.records().stream().filter(x -> "openblas".equals(x.get("internal_api"))).count();
            assertEquals(2, copies, ng.records().toString());
            ng.busyWorkersChanged(4, 2);
            assertEquals(1, bundledThreads.getAsInt());
            assertEquals(1, callInt(deb, "openblas_get_num_threads"));

            // a limit pins both until closed; the busy policy waits
            ng.busyWorkersChanged(0, 2);
            AutoCloseable l = ng.limit(1, "blas");
            assertEquals(1, bundledThreads.getAsInt());
            assertEquals(1, callInt(deb, "openblas_get_num_threads"));
            ng.busyWorkersChanged(0, 2);
            assertEquals(1, bundledThreads.getAsInt(), "pinned by the limit");
            l.close();
            assertEquals(2, bundledThreads.getAsInt());
            assertEquals(2, callInt(deb, "openblas_get_num_threads"));
            // only one of them by internal name + prefix is still "openblas" for both
            try (AutoCloseable l2 = ng.limit(1, "blis")) {
                assertSame(NativeGovernor.NO_LIMIT, l2);
            }
        }
    }

    @Test
    void dgemmResultsAreUnchangedByTheThreadCount() {
        Loader.load(openblas_nolapack.class);
        Governor g = governor("cores=2");
        NativeGovernor ng = new NativeGovernor(g);
        g.natives(ng);
        ng.libraryLoaded("javacpp");
        int n = 64;
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 0.5;
            b[i] = (i % 5) * 0.25;
        }
        NativeLibrary jcpp = load((String) ng.records().get(0).get("filepath"));
        double[] c1 = new double[n * n];
        double[] c2 = new double[n * n];
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c1, n);
        try (AutoCloseable l = ng.limit(1, "openblas")) {
            assertEquals(1, callInt(jcpp, "openblas_get_num_threads"));
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c2, n);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertArrayEquals(c1, c2);
    }
}
