package io.threadgov.it.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code threadgov.gemm_blocks}: JavaCPP's {@code cblas_dgemm} started below the budget runs as blocks, bitwise
 * the same as the one call ({@code cblas_sgemm} runs whole: its blocks changed bits on a Zen CPU), and a block
 * that starts after a sibling worker went idle runs at the raised count. Real child JVMs, the real agent jar, JavaCPP's OpenBLAS 0.3.28.
 *
 * <p>The variants are compared with {@code gemm_blocks=off}, whose calls run whole at the same thread count
 * (1): OpenBLAS's result for some of these shapes depends on its thread count, so the run without the agent
 * (2 threads) is not the reference for them. The square products are the same at every count.
 */
class GemmBlocksTest {

    private static ChildJvm.Result plain;
    private static ChildJvm.Result whole;

    /** GemmApp with JavaCPP's OpenBLAS on its class path. */
    static ChildJvm app() {
        return ChildJvm.app(GemmApp.class).javacpp().timeout(120);
    }

    @BeforeAll
    static void withoutAgent() throws Exception {
        plain = app().run();
        assertEquals(0, plain.exit, plain::toString);
        assertNotNull(plain.value("tail"), plain::toString);
        whole = app().agent("cores=2,gemm_blocks=off").report().run();
        assertEquals(0, whole.exit, whole::toString);
    }

    @Test
    void productsStartedBelowTheBudgetRunAsBlocksWithTheSameBitsAndTakeTheCoresASiblingLeft() throws Exception {
        ChildJvm.Result r = app().agent("cores=2,gemm_blocks=on").report().run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(whole.value("variants"), r.value("variants"),
                "layouts, transposes, padded leading dimensions, beta, positions, float: bitwise as the one call");
        assertEquals(plain.value("short"), r.value("short"));
        assertEquals(plain.value("tail"), r.value("tail"));
        Map<String, Object> gemm = gemm(r);
        long calls = ((Number) gemm.get("calls")).longValue();
        long blocks = ((Number) gemm.get("blocks")).longValue();
        long raised = ((Number) gemm.get("raised")).longValue();
        assertEquals(8, calls, "the 6 double variants and the two products of the tail ran as blocks, the 2 float"
                + " variants whole: " + gemm);
        assertTrue(blocks >= 4 * calls, "each of at least 4 blocks: " + gemm);
        assertTrue(raised >= 1, "blocks of the long product after its sibling went idle ran at 2 threads: " + gemm);
        assertTrue(r.agentLines().isEmpty(), r.stderr);
    }

    @Test
    void offRunsEveryCallWhole() throws Exception {
        assertEquals(plain.value("tail"), whole.value("tail"));
        assertEquals(plain.value("short"), whole.value("short"));
        Map<String, Object> gemm = gemm(whole);
        assertEquals(false, gemm.get("enabled"), gemm::toString);
        assertEquals(0L, ((Number) gemm.get("calls")).longValue(), gemm::toString);
    }

    @Test
    void aFailureWhilePlanningIsOneLineAndTheProductRunsWhole() throws Exception {
        ChildJvm.Result r = app().agent("cores=2,gemm_blocks=on,fault=gemm-call").report().run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(whole.value("variants"), r.value("variants"));
        assertEquals(plain.value("tail"), r.value("tail"));
        assertEquals(1, r.agentLines().size(), r.stderr);
        assertTrue(r.agentLines().get(0).contains("injected fault in stage 'gemm-call'"), r.stderr);
        assertEquals(0L, ((Number) gemm(r).get("calls")).longValue());
    }

    /** The gemm_blocks object of the report of {@code r}. */
    static Map<String, Object> gemm(ChildJvm.Result r) throws Exception {
        return ChildJvm.object(r.report(), "gemm_blocks");
    }
}
