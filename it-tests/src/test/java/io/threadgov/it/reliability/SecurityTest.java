package io.threadgov.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import io.threadgov.it.reliability.apps.WaitingApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The agent opens no network port, and never writes its report through a link planted while the app runs. */
class SecurityTest {

    @Test
    void agentOpensNoSocket() throws Exception {
        List<String> plain = socketsWhileRunning(ChildJvm.app(WaitingApp.class));
        List<String> agent = socketsWhileRunning(ChildJvm.app(WaitingApp.class).agent("cores=2"));
        assertEquals(plain, agent, "same socket fds as the same app without the agent");
        assertTrue(agent.isEmpty(), "no socket at all: " + agent);
    }

    /** The {@code socket:} links among /proc/PID/fd while the child runs with its governed pools alive. */
    static List<String> socketsWhileRunning(ChildJvm jvm) throws Exception {
        Path go = ChildJvm.workFile("go", "");
        ChildJvm.Running running = jvm.args(go.toString()).timeout(60).start();
        List<String> sockets = new ArrayList<>();
        try {
            running.awaitLine("ready=true");
            Path fds = Path.of("/proc", Long.toString(running.pid()), "fd");
            int seen = 0;
            try (Stream<Path> s = Files.list(fds)) {
                for (Path fd : (Iterable<Path>) s::iterator) {
                    seen++;
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:")) {
                            sockets.add(target.replaceAll("\\d+", "N"));
                        }
                    } catch (IOException gone) {
                        // closed between list and read
                    }
                }
            }
            assertTrue(seen > 2, "the child's descriptors were listed");
        } finally {
            Files.writeString(go, "go");
        }
        ChildJvm.Result r = running.await();
        assertEquals(0, r.exit, r::toString);
        assertEquals("42", r.value("result"));
        return sockets;
    }

    @Test
    void reportIsNotWrittenThroughALinkPlantedAfterStart() throws Exception {
        Path dir = ChildJvm.workDir("late-link");
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path report = dir.resolve("report.json");
        Path go = dir.resolve("go");
        ChildJvm.Running running = ChildJvm.app(WaitingApp.class).agent("cores=2,report=" + report)
                .args(go.toString()).timeout(60).start();
        running.awaitLine("ready=true");
        Files.createSymbolicLink(report, victim); // planted while the agent runs, after its start-up checks
        Files.writeString(go, "go");
        ChildJvm.Result r = running.await();
        assertEquals(0, r.exit, r::toString);
        assertEquals("42", r.value("result"), "the application finished normally");
        assertEquals("precious", Files.readString(victim), "the link's target is untouched");
        assertTrue(Files.isSymbolicLink(report), "the link itself is left as it was");
        List<String> lines = r.agentLines();
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).contains("report") && lines.get(0).contains("symbolic link"), lines::toString);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temporary file left behind (victim, link, go)");
        }
    }
}
