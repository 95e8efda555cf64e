package io.threadgov.governor.natives;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MappedLibrariesTest {

    @Test
    void parsesRangesPerFileAndSkipsNonLibraries() {
        String maps = "7f0000000000-7f0000001000 r--p 00000000 08:01 123 /usr/lib/libopenblas.so.0\n"
                + "7f0000001000-7f0000005000 r-xp 00001000 08:01 123 /usr/lib/libopenblas.so.0\n"
                + "7f0000010000-7f0000011000 rw-p 00000000 00:00 0 \n"
                + "7f0000020000-7f0000021000 r--p 00000000 08:01 9 /tmp/x (deleted)\n"
                + "7f0000030000-7f0000031000 r--p 00000000 08:01 9 /tmp/lib gomp.so.1 (deleted)\n"
                + "7ffc00000000-7ffc00001000 rw-p 00000000 00:00 0 [stack]\n"
                + "7f0000040000-7f0000041000 r--p 00000000 08:01 9 /usr/lib/jvm/lib/modules\n";
        Map<String, MappedLibraries.Range> m = MappedLibraries.parse(maps);
        assertEquals(List.of("/usr/lib/libopenblas.so.0", "/tmp/lib gomp.so.1"), List.copyOf(m.keySet()));
        MappedLibraries.Range r = m.get("/usr/lib/libopenblas.so.0");
        assertEquals(0x7f0000000000L, r.start());
        assertEquals(0x7f0000005000L, r.end());
        assertTrue(r.contains(0x7f0000004fffL));
        assertFalse(r.contains(0x7f0000005000L));
    }

    @Test
    void readsThisProcessWithoutNativeCalls() throws Exception {
        Map<String, MappedLibraries.Range> m = MappedLibraries.read();
        assertTrue(m.keySet().stream().anyMatch(p -> p.endsWith("/libjvm.so")), m.keySet().toString());
    }

    @Test
    void candidatesByPrefix() {
        assertEquals(List.of(RuntimeKind.OPENBLAS), RuntimeKind.candidates("libopenblasp-r0.3.21.so"));
        assertEquals(List.of(RuntimeKind.OPENBLAS, RuntimeKind.MKL, RuntimeKind.BLIS),
                RuntimeKind.candidates("libblas.so.3"));
        assertEquals(List.of(RuntimeKind.OPENMP), RuntimeKind.candidates("libgomp.so.1"));
        assertEquals(List.of(RuntimeKind.OPENMP), RuntimeKind.candidates("libiomp5.so"));
        assertEquals(List.of(), RuntimeKind.candidates("libjniopenblas.so"));
        assertEquals("0.3.28", OpenBlasRuntime.parseVersion("OpenBLAS 0.3.28 DYNAMIC_ARCH NO_AFFINITY SkylakeX"));
        assertEquals("2024.0-Product", MklRuntime.parseVersion(
                "Intel(R) oneAPI Math Kernel Library Version 2024.0-Product Build 20231011"));
    }
}
