package io.threadgov.governor.natives;

import com.sun.jna.NativeLibrary;
import io.threadgov.governor.Governor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.threadgov.governor.natives.Natives.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Debian's OpenBLAS 0.3.21 OpenMP build and the libgomp it links. */
class DebianOpenBlasOpenMpTest {

    @Test
    void openBlasOnOpenMpAndLibgompArePairedCorrectly() throws Exception {
        assumeTrue(exists(OPENBLAS_OPENMP), "Debian libopenblas0-openmp not installed");
        NativeLibrary ob = load(OPENBLAS_OPENMP);
        NativeLibrary gomp = load(GOMP);
        Governor g = governor("cores=2");
        NativeGovernor ng = new NativeGovernor(g);
        g.natives(ng);
        ng.libraryLoaded("test");

        List<Map<String, Object>> blas = recordsOf(ng, real(OPENBLAS_OPENMP));
        assertEquals(1, blas.size(), ng.records().toString());
        assertEquals("openmp", blas.get(0).get("threading_layer"));
        assertEquals("0.3.21", blas.get(0).get("version"));
        assertEquals("process", blas.get(0).get("scope"));
        List<Map<String, Object>> omp = recordsOf(ng, real(GOMP));
        assertEquals(1, omp.size(), ng.records().toString());
        assertEquals("openmp", omp.get(0).get("user_api"));
        assertEquals("openmp", omp.get(0).get("internal_api"));
        assertEquals("libgomp", omp.get(0).get("prefix"));
        assertEquals("thread", omp.get(0).get("scope"));

        // per thread: a worker at share 1, a fresh thread keeps the default
        AtomicInteger inWorker = new AtomicInteger();
        AtomicInteger blasAfterIdle = new AtomicInteger();
        AtomicInteger ompAfterIdle = new AtomicInteger();
        Thread worker = new Thread(() -> {
            ng.applyToCurrentThread(1);
            inWorker.set(callInt(gomp, "omp_get_max_threads"));
            // the pools go idle on this worker: OpenBLAS is raised back for the main thread, and
            // openblas_set_num_threads must not leave this worker's OpenMP value at 2
            callVoid(ob, "openblas_set_num_threads", 1);
            ng.busyWorkersChanged(0, 2);
            blasAfterIdle.set(callInt(ob, "openblas_get_num_threads"));
            ompAfterIdle.set(callInt(gomp, "omp_get_max_threads"));
        });
        worker.start();
        worker.join();
        assertEquals(1, inWorker.get());
        assertEquals(2, blasAfterIdle.get());
        assertEquals(1, ompAfterIdle.get(), "the caller's OpenMP value is restored");
        assertEquals(2, onOtherThread(() -> callInt(gomp, "omp_get_max_threads")));

        // busy workers: an OpenMP build is never changed while a governed worker may be inside a call
        ng.busyWorkersChanged(8, 2);
        assertEquals(2, callInt(ob, "openblas_get_num_threads"));
    }
}
