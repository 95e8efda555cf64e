package io.threadgov.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.apps.NestedPoolsApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each bad value of each key: one stderr line naming key, value and what is allowed; the app runs on. */
class ConfigValidationTest {

    static String expectedChecksum;

    @BeforeAll
    static void reference() throws Exception {
        expectedChecksum = ChildJvm.app(NestedPoolsApp.class).run().value("checksum");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "cores|abc", "cores|0", "cores|-1", "cores|99999", "cores|2.5",
        "mode|fast", "pools|some", "native|on", "log|loud",
        "starvation|-5", "starvation|soon", "admission|yes", "demand|maybe", "scope|galaxy",
        "report|/nonexistent-dir-threadgov/r.json", "report|/proc/version/r.json",
    })
    void badSystemPropertyIsNamedAndTheAppRunsOn(String key, String value) throws Exception {
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).agent().sysprop("threadgov." + key, value).run();
        assertBadValueReported(r, key, value);
    }

    @ParameterizedTest(name = "agent argument {0}={1}")
    @CsvSource(delimiter = '|', value = {"cores|abc", "mode|fast", "pools|some", "demand|maybe", "scope|galaxy"})
    void badAgentArgumentIsNamedAndTheAppRunsOn(String key, String value) throws Exception {
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).agent(key + "=" + value).run();
        assertBadValueReported(r, key, value);
    }

    @Test
    void badCoresLeavesPoolsAlone() throws Exception {
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).agent().sysprop("threadgov.cores", "abc").run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(r.value("avail") + ",3,8/8", r.value("task0"), "ungoverned where the value mattered: " + r);
        assertTrue(r.stderr.contains("threadgov.cores"), r::toString);
    }

    @Test
    void unknownAgentArgumentIsNamedWithTheAllowedKeys() throws Exception {
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).agent("cores=2,speed=fast").run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(expectedChecksum, r.value("checksum"));
        List<String> lines = r.agentLines();
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).contains("'speed'") && lines.get(0).contains("cores, mode, pools"), lines::toString);
        assertEquals("1,1,1/1", r.value("task0"), "the good keys still apply");
    }

    @Test
    void systemPropertyWinsOverAgentArgument() throws Exception {
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).agent("cores=2,mode=observe")
                .sysprop("threadgov.mode", "enforce").run();
        assertEquals("1,1,1/1", r.value("task0"), r::toString);
    }

    @Test
    void reportIsNeverWrittenThroughASymlink() throws Exception {
        Path dir = ChildJvm.workDir("symlink");
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("report.json"), victim);
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).agent("cores=2,report=" + link).run();
        assertEquals(0, r.exit, r::toString);
        assertEquals("precious", Files.readString(victim), "the link's target is untouched");
        assertTrue(r.stderr.contains("threadgov.report") && r.stderr.contains("symbolic link"), r::toString);
    }

    @Test
    void reportReplacesAnExistingRegularFile() throws Exception {
        Path dir = ChildJvm.workDir("replace");
        Path report = Files.writeString(dir.resolve("report.json"), "old");
        ChildJvm.Result r = ChildJvm.app(NestedPoolsApp.class).agent("cores=2,report=" + report).run();
        assertEquals(0, r.exit, r::toString);
        assertEquals(2L, ChildJvm.json(report).get("budget"));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    private static void assertBadValueReported(ChildJvm.Result r, String key, String value) {
        assertEquals(0, r.exit, r::toString);
        assertFalse(r.timedOut);
        assertEquals(expectedChecksum, r.value("checksum"), "the application completes with its results: " + r);
        List<String> lines = r.agentLines();
        assertEquals(1, lines.size(), "exactly one line: " + r.stderr);
        String line = lines.get(0);
        assertTrue(line.contains("threadgov." + key), line);
        assertTrue(line.contains("'" + value + "'"), line);
        assertTrue(line.contains("allowed"), line);
    }
}
