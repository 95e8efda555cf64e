package io.threadgov.it.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad {@code verify} options: a usage message naming the option and what it takes, exit 2, no kernel run. */
class VerifyOptionsTest {

    @Test
    void agentArgsThatAreNotOneWordAreRefusedWithAMessage() throws Exception {
        for (String bad : List.of("pools=all cores=2", " ")) {
            ChildJvm.Result r = verify("--agent-args", bad);
            assertEquals(2, r.exit, r.output());
            assertTrue(r.output().contains("--agent-args takes the agent's options as one word"), r.output());
            assertTrue(r.output().contains("pools=all"), "names what is allowed: " + r.output());
            assertTrue(!r.output().contains("[verify"), "no kernel was started: " + r.output());
        }
    }

    @Test
    void agentArgsWithoutAValueIsRefusedWithAMessage() throws Exception {
        ChildJvm.Result r = verify("--agent-args");
        assertEquals(2, r.exit, r.output());
        assertTrue(r.output().contains("--agent-args needs a value"), r.output());
    }

    @Test
    void aConfirmCountThatIsNotANumberOfRoundsIsRefusedWithAMessage() throws Exception {
        for (String bad : List.of("-1", "three")) {
            ChildJvm.Result r = verify("--confirm", bad);
            assertEquals(2, r.exit, r.output());
            assertTrue(r.output().contains("--confirm takes a number of rounds >= 0; got '" + bad + "'"), r.output());
            assertTrue(!r.output().contains("[verify"), "no kernel was started: " + r.output());
        }
    }

    @Test
    void fromWithARunOptionOrAFileThatIsNotVerifysJsonIsRefusedWithAMessage() throws Exception {
        Path dir = Files.createDirectories(ChildJvm.WORK.resolve("verify-options"));
        Path notJson = Files.writeString(dir.resolve("not-verify.json"), "{\"cores\": 2}");
        Path page = dir.resolve("page.html");
        Files.deleteIfExists(page);
        ChildJvm.Result r = verify("--html", page.toString(), "--from", notJson.toString(), "--quick");
        assertEquals(2, r.exit, r.output());
        assertTrue(r.output().contains("--from JSON runs nothing and takes only --html FILE; got --quick"), r.output());
        r = verify("--html", page.toString(), "--from", notJson.toString());
        assertEquals(2, r.exit, r.output());
        assertTrue(r.output().contains("is not a file written by verify --json FILE (no \"kernels\" list)"), r.output());
        assertTrue(!Files.exists(page), "no page written");
        assertTrue(!r.output().contains("[verify"), "no kernel was started: " + r.output());
    }

    /** {@code java -jar threadgov-kernels.jar verify OPTIONS}, run to its end. */
    private static ChildJvm.Result verify(String... options) throws Exception {
        ChildJvm.Result r = ChildJvm.jar(ChildJvm.KERNELS_JAR).name("verify-options").timeout(60).args("verify")
                .args(options).run();
        if (r.timedOut) {
            throw new AssertionError("verify did not exit: " + r);
        }
        return r;
    }
}
