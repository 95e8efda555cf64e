package io.threadgov.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import io.threadgov.it.reliability.apps.WorkApp;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fail-open: each stage of the agent made to fail ({@code threadgov.fault=STAGE}) is exactly one line on
 * stderr, and the application's output and exit status are those of a run without the agent.
 */
class FaultInjectionTest {

    static ChildJvm.Result plain;

    @BeforeAll
    static void reference() throws Exception {
        plain = ChildJvm.app(WorkApp.class).run();
        assertEquals(3, plain.exit, plain::toString);
        assertTrue(plain.stderr.isEmpty(), plain::toString);
    }

    @ParameterizedTest(name = "fault={0}")
    @ValueSource(strings = {"config", "instrumentation", "jfr", "jmx", "native", "report", "decision", "relief", "gemm-blocks"})
    void eachFailingStageIsOneLineAndTheAppRunsOn(String stage) throws Exception {
        // gemm blocks are opt-in: their stage runs only when asked for
        ChildJvm.Result r = ChildJvm.app(WorkApp.class).agent("cores=2" + (stage.equals("gemm-blocks") ? ",gemm_blocks=on" : ""))
                .report().sysprop("threadgov.fault", stage).run();
        assertFalse(r.timedOut, r::toString);
        assertEquals(plain.exit, r.exit, r::toString);
        assertEquals(plain.stdout, r.stdout, "same output as without the agent: " + r);
        List<String> lines = r.agentLines();
        assertEquals(1, lines.size(), "exactly one threadgov line: " + r.stderr);
        assertTrue(lines.get(0).contains("injected fault in stage '" + stage + "'"), lines::toString);
        assertEquals(lines.size(), r.stderr.strip().split("\n").length, "nothing else on stderr: " + r.stderr);
        if (stage.equals("report") || stage.equals("config")) {
            // report: the failing stage itself; config: a configuration that cannot be trusted installs nothing
            assertFalse(Files.exists(r.reportFile()), r::toString);
        } else {
            assertTrue(Files.exists(r.reportFile()), "the other stages still ran (the report was written): " + r);
        }
    }

    @Test
    void noFaultNoLine() throws Exception {
        ChildJvm.Result r = ChildJvm.app(WorkApp.class).agent("cores=2").run();
        assertEquals(plain.exit, r.exit, r::toString);
        assertEquals(plain.stdout, r.stdout);
        assertTrue(r.stderr.isEmpty(), r::toString);
    }
}
