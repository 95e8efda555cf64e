package io.threadgov.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.threadgov.it.ChildJvm;
import io.threadgov.it.reliability.apps.BlasLimitChurnApp;
import org.junit.jupiter.api.Test;

/**
 * Native limits changed while other threads are inside BLAS calls: 10,000 limit changes from one thread
 * while 8 threads run OpenBLAS 0.3.28 dgemm through JavaCPP, under the agent: no crash, every result bit
 * for bit equal to the reference computed first.
 */
class NativeLimitChurnTest {

    @Test
    void tenThousandLimitChangesDuringDgemmCallsChangeNoResult() throws Exception {
        ChildJvm.Result r = ChildJvm.app(BlasLimitChurnApp.class).javacpp()
                .agent("cores=2").args("10000").timeout(300).run();
        System.out.println("NativeLimitChurnTest: " + r.value("limitPath") + ", " + r.stderr.strip());
        assertFalse(r.timedOut, r::toString);
        assertEquals(0, r.exit, "no crash: " + r);
        assertEquals("10000", r.value("limitChanges"), r::toString);
        assertEquals("true", r.value("dgemmCalls.atLeast8"), r::toString);
        assertEquals("0", r.value("mismatches"), "every dgemm result equals the reference bit for bit: " + r);
    }
}
