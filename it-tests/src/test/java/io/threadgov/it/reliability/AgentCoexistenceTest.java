package io.threadgov.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import io.threadgov.it.reliability.apps.WorkApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** threadgov beside another ByteBuddy-based agent (OpenTelemetry), and loaded twice. */
class AgentCoexistenceTest {

    static ChildJvm.Result plain;

    @BeforeAll
    static void reference() throws Exception {
        plain = ChildJvm.app(WorkApp.class).run();
        assertEquals(3, plain.exit, plain::toString);
    }

    @ParameterizedTest(name = "OpenTelemetry agent {0}")
    @ValueSource(strings = {"first", "second"})
    void withTheOpenTelemetryAgentNestedPoolsAreStillGovernedAndResultsEqual(String otelPosition) throws Exception {
        String otel = "-javaagent:" + ChildJvm.jarOnTestClasspath("opentelemetry-javaagent-2.10.0");
        Path report = ChildJvm.workFile("otel-" + otelPosition, ".json");
        String threadgov = "-javaagent:" + ChildJvm.AGENT_JAR + "=cores=2,report=" + report;
        ChildJvm jvm = ChildJvm.app(WorkApp.class).timeout(180);
        if (otelPosition.equals("first")) {
            jvm.jvmArg(otel).jvmArg(threadgov);
        } else {
            jvm.jvmArg(threadgov).jvmArg(otel);
        }
        ChildJvm.Result r = jvm.sysprop("otel.traces.exporter", "none").sysprop("otel.metrics.exporter", "none")
                .sysprop("otel.logs.exporter", "none").run();
        assertEquals(plain.exit, r.exit, r::toString);
        assertEquals(plain.stdout, r.stdout, "same results as without any agent: " + r);
        assertTrue(r.agentLines().isEmpty(), r::toString);
        assertTrue(r.stderr.contains("opentelemetry-javaagent"), "the OpenTelemetry agent did start: " + r);

        List<Map<String, Object>> pools = ChildJvm.objects(ChildJvm.json(report), "pools");
        long governed = pools.stream().filter(p -> Boolean.TRUE.equals(p.get("nested"))
                && Boolean.TRUE.equals(p.get("applied")) && p.get("granted").equals(1L)).count();
        assertEquals(8, governed, "4 outer tasks x (ForkJoinPool(4) + fixed(4)) cut to 1: " + pools);
    }

    @Test
    void loadedTwiceTheSecondLoadIsRefusedWithOneLine() throws Exception {
        Path report = ChildJvm.workFile("twice", ".json");
        ChildJvm.Result r = ChildJvm.app(WorkApp.class).jvmArg("-javaagent:" + ChildJvm.AGENT_JAR + "=cores=2,report=" + report)
                .agent("cores=1").run();
        assertEquals(plain.exit, r.exit, r::toString);
        assertEquals(plain.stdout, r.stdout, r::toString);
        List<String> lines = r.agentLines();
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).contains("already loaded"), lines::toString);
        assertEquals(2L, ChildJvm.json(report).get("budget"), "the first load governs, the second changed nothing");
    }
}
