package io.threadgov.kernels.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A kernel child's {@code KERNEL_RESULT} line: written by {@link VerifyJson.KernelResult}, read back by VerifyJson. */
class KernelResultJsonTest {

    @Test
    void aResultLineReadsBackAsWritten() {
        Map<String, Double> phases = new LinkedHashMap<>();
        phases.put("gemm", 12.5);
        phases.put("a \"quoted\"\tphase\\", 0.25);
        String line = new VerifyJson.KernelResult("nested-blas", "sum=\"3\"\n", true, false, 20.1234,
                List.of(19.0, 20.1234, 21.5), 17, 12, phases, "outer=4 inner=8").line();

        assertTrue(line.startsWith(VerifyJson.KERNEL_RESULT + "{\"kernel\":\"nested-blas\",\"checksum\":"), line);
        assertEquals(-1, line.indexOf('\n'), "one line");
        // bench/kernel-ab.sh reads these two with sed: compact, no spaces
        assertTrue(line.contains(",\"ms\":20.123,"), line);
        assertTrue(line.contains(",\"phases\":{\"gemm\":12.500,"), line);

        Map<String, Object> r = VerifyJson.readKernelResult(line);
        assertEquals("nested-blas", r.get("kernel"));
        assertEquals("sum=\"3\"\n", r.get("checksum"));
        assertEquals(Boolean.TRUE, r.get("exact"));
        assertEquals(Boolean.FALSE, r.get("stable"));
        assertEquals(20.123, r.get("ms"));
        assertEquals(List.of(19.0, 20.123, 21.5), r.get("rep_ms"));
        assertEquals(17.0, r.get("peak_threads"));
        assertEquals(12.0, r.get("peak_java_threads"));
        assertEquals(Map.of("gemm", 12.5, "a \"quoted\"\tphase\\", 0.25), r.get("phases"));
        assertEquals("outer=4 inner=8", r.get("knobs"));
    }

    @Test
    void aTimeThatIsNoNumberIsNullAndAMissingChecksumToo() {
        String line = new VerifyJson.KernelResult("k", null, true, true, Double.NaN, List.of(), 1, 1, Map.of(), "")
                .line();
        Map<String, Object> r = VerifyJson.readKernelResult(line);
        assertTrue(r.containsKey("ms") && r.get("ms") == null, line);
        assertTrue(r.containsKey("checksum") && r.get("checksum") == null, line);
    }

    @Test
    void otherLinesAreNoResultAndABrokenOneSaysSo() {
        assertNull(VerifyJson.readKernelResult("rep 1: 20.1 ms checksum 3"));
        String m = assertThrows(IllegalArgumentException.class,
                () -> VerifyJson.readKernelResult(VerifyJson.KERNEL_RESULT + "{\"kernel\": ")).getMessage();
        assertTrue(m.startsWith("JSON: "), m);
    }
}
