package io.threadgov.governor.natives;

import com.sun.jna.NativeLibrary;
import io.threadgov.governor.Governor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.threadgov.governor.natives.Natives.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Debian's BLIS (libblis.so.4, the OpenMP flavour here). */
class BlisTest {

    @Test
    void blisIsFoundAndSetProcessWide() throws Exception {
        assumeTrue(exists(BLIS), "Debian libblis4 not installed");
        NativeLibrary blis = load(BLIS);
        Governor g = governor("cores=2");
        NativeGovernor ng = new NativeGovernor(g);
        g.natives(ng);
        ng.libraryLoaded("test");

        List<Map<String, Object>> recs = recordsOf(ng, real(BLIS));
        assertEquals(1, recs.size(), ng.records().toString());
        Map<String, Object> r = recs.get(0);
        assertEquals("blis", r.get("internal_api"));
        assertEquals("libblis", r.get("prefix"));
        assertTrue(String.valueOf(r.get("version")).matches("\\d+\\.\\d+.*"), r.toString());
        assertEquals(real(BLIS).contains("openmp") ? "openmp" : "pthreads", r.get("threading_layer"));
        assertNotNull(r.get("architecture"));
        assertEquals("process", r.get("scope"));
        assertEquals(2, r.get("num_threads"), "set to the budget on discovery");
        assertFalse(recordsOf(ng, real(GOMP)).isEmpty(), "BLIS's OpenMP runtime is found too");

        ng.busyWorkersChanged(2, 2);
        assertEquals(1L, blis.getFunction("bli_thread_get_num_threads").invokeLong(new Object[0]));
        ng.busyWorkersChanged(0, 2);
        assertEquals(2L, blis.getFunction("bli_thread_get_num_threads").invokeLong(new Object[0]));
    }
}
