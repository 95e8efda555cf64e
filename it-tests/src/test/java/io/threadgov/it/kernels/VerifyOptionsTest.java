package io.threadgov.it.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bad {@code verify} options: a usage message naming the option and what it takes, exit 2, no kernel run. */
class VerifyOptionsTest {

    @Test
    void agentArgsThatAreNotOneWordAreRefusedWithAMessage() throws Exception {
        for (String bad : List.of("pools=all cores=2", " ")) {
            Result r = verify("--agent-args", bad);
            assertEquals(2, r.exit, r.output);
            assertTrue(r.output.contains("--agent-args takes the agent's options as one word"), r.output);
            assertTrue(r.output.contains("pools=all"), "names what is allowed: " + r.output);
            assertTrue(!r.output.contains("[verify"), "no kernel was started: " + r.output);
        }
    }

    @Test
    void agentArgsWithoutAValueIsRefusedWithAMessage() throws Exception {
        Result r = verify("--agent-args");
        assertEquals(2, r.exit, r.output);
        assertTrue(r.output.contains("--agent-args needs a value"), r.output);
    }

    @Test
    void aConfirmCountThatIsNotANumberOfRoundsIsRefusedWithAMessage() throws Exception {
        for (String bad : List.of("-1", "three")) {
            Result r = verify("--confirm", bad);
            assertEquals(2, r.exit, r.output);
            assertTrue(r.output.contains("--confirm takes a number of rounds >= 0; got '" + bad + "'"), r.output);
            assertTrue(!r.output.contains("[verify"), "no kernel was started: " + r.output);
        }
    }

    @Test
    void fromWithARunOptionOrAFileThatIsNotVerifysJsonIsRefusedWithAMessage() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("threadgov.it.work", "target/it-work"))
                .resolve("verify-options"));
        Path notJson = Files.writeString(dir.resolve("not-verify.json"), "{\"cores\": 2}");
        Path page = dir.resolve("page.html");
        Files.deleteIfExists(page);
        Result r = verify("--html", page.toString(), "--from", notJson.toString(), "--quick");
        assertEquals(2, r.exit, r.output);
        assertTrue(r.output.contains("--from JSON runs nothing and takes only --html FILE; got --quick"), r.output);
        r = verify("--html", page.toString(), "--from", notJson.toString());
        assertEquals(2, r.exit, r.output);
        assertTrue(r.output.contains("is not a file written by verify --json FILE (no \"kernels\" list)"), r.output);
        assertTrue(!Files.exists(page), "no page written");
        assertTrue(!r.output.contains("[verify"), "no kernel was started: " + r.output);
    }

    private record Result(int exit, String output) {
    }

    private static Result verify(String... options) throws Exception {
        Path kernelsJar = Path.of(System.getProperty("threadgov.kernels.jar", "bundled-kernels/target/threadgov-kernels.jar"));
        assertTrue(Files.isRegularFile(kernelsJar), "kernels jar missing: " + kernelsJar + " (run mvn package)");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", kernelsJar.toAbsolutePath().toString(), "verify"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("verify did not exit: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}
