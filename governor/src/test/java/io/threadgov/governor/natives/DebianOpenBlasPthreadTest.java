package io.threadgov.governor.natives;

import com.sun.jna.NativeLibrary;
import io.threadgov.governor.Governor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.threadgov.governor.natives.Natives.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Debian's OpenBLAS 0.3.21 pthreads build, reached the way netlib reaches it: through the libblas.so.3 shim. */
class DebianOpenBlasPthreadTest {

    @Test
    void foundThroughTheShimAndDrivenByBusyWorkers() throws Exception {
        assumeTrue(exists(OPENBLAS_PTHREAD), "Debian libopenblas0-pthread not installed");
        NativeLibrary shim = load(BLAS_SHIM_PTHREAD);   // pulls libopenblas.so.0 in as a dependency
        NativeLibrary ob = load(OPENBLAS_PTHREAD);      // the same copy: a handle for the asserts
        Governor g = governor("cores=2");
        Events ev = new Events();
        g.events(ev);
        NativeGovernor ng = new NativeGovernor(g);
        g.natives(ng);
        ng.libraryLoaded("test");

        List<Map<String, Object>> recs = recordsOf(ng, real(OPENBLAS_PTHREAD));
        assertEquals(1, recs.size(), ng.records().toString());
        Map<String, Object> r = recs.get(0);
        assertEquals("blas", r.get("user_api"));
        assertEquals("openblas", r.get("internal_api"));
        assertEquals("libopenblas", r.get("prefix"));
        assertEquals("0.3.21", r.get("version"));
        assertEquals("pthreads", r.get("threading_layer"));
        assertNotNull(r.get("architecture"));
        assertEquals("process", r.get("scope"));
        assertEquals(2, r.get("num_threads"));
        assertTrue(recordsOf(ng, real(BLAS_SHIM_PTHREAD)).isEmpty(), "the shim only links OpenBLAS");
        assertTrue(ng.needsBusyCount());
        assertEquals(1, ev.runtimes.size());

        ng.busyWorkersChanged(8, 2);
        assertEquals(1, callInt(ob, "openblas_get_num_threads"));
        assertEquals(1, onOtherThread(() -> callInt(ob, "openblas_get_num_threads")), "process-wide");
        ng.busyWorkersChanged(0, 2);
        assertEquals(2, callInt(ob, "openblas_get_num_threads"), "a lone main thread gets the budget back");

        // a library resets the count during a load: the next load event re-applies
        ng.busyWorkersChanged(8, 2);
        callVoid(ob, "openblas_set_num_threads", 2);
        ng.libraryLoaded("another load");
        assertEquals(1, callInt(ob, "openblas_get_num_threads"));
        // ... and the pools going idle read it back before deciding
        callVoid(ob, "openblas_set_num_threads", 1);
        ng.busyWorkersChanged(0, 2);
        assertEquals(2, callInt(ob, "openblas_get_num_threads"));
        assertTrue(ev.limits.stream().anyMatch(s -> s.endsWith("process 2->1")), ev.limits.toString());

        // raising beyond the server threads that exist waits until no governed worker is busy
        ng.budgetChanged(4);   // busy is 0 here: raised at once
        assertEquals(4, callInt(ob, "openblas_get_num_threads"));
        assertNotNull(shim);
    }

    @Test
    void raiseBeyondServerThreadsIsDeferredWhileWorkersAreBusy() {
        assumeTrue(exists(OPENBLAS_PTHREAD), "Debian libopenblas0-pthread not installed");
        NativeLibrary ob = load(OPENBLAS_PTHREAD);
        Governor g = governor("cores=8");
        NativeGovernor ng = new NativeGovernor(g);
        g.natives(ng);
        callVoid(ob, "openblas_set_num_threads", 2);   // the server has 2 threads (this machine's cores)
        ng.libraryLoaded("test");                      // busy 0: raised to the budget on discovery
        assertEquals(8, callInt(ob, "openblas_get_num_threads"));
        ng.busyWorkersChanged(8, 8);
        assertEquals(1, callInt(ob, "openblas_get_num_threads"));
        ng.busyWorkersChanged(2, 8);                   // 4 <= 8 threads that exist: safe
        assertEquals(4, callInt(ob, "openblas_get_num_threads"));
        ng.busyWorkersChanged(0, 16);                  // 16 > 8 but nobody busy
        assertEquals(16, callInt(ob, "openblas_get_num_threads"));
        ng.busyWorkersChanged(8, 64);
        assertEquals(8, callInt(ob, "openblas_get_num_threads"));
        ng.busyWorkersChanged(1, 64);                  // 64 > 16 server threads with a worker busy: deferred
        assertEquals(8, callInt(ob, "openblas_get_num_threads"));
    }
}
