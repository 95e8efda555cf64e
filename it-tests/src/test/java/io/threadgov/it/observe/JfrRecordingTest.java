package io.threadgov.it.observe;

import io.threadgov.it.ChildJvm;
import io.threadgov.it.apps.NestedPoolsApp;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Child JVMs with the real agent recorded by -XX:StartFlightRecording, read back through RecordingFile. */
class JfrRecordingTest {

    static List<RecordedEvent> events(Path file, String name) throws Exception {
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(name))
                .collect(Collectors.toList());
    }

    private static String recording(Path file) {
        return "-XX:StartFlightRecording=filename=" + file + ",dumponexit=true";
    }

    /** A child with the agent at budget 2 and a recording to {@code file}. */
    private static ChildJvm recorded(Class<?> app, Path file) {
        return ChildJvm.app(app).agent().sysprop("threadgov.cores", "2").jvmArg(recording(file));
    }

    @Test
    void anAppWithTwelveNestedPoolsRecordsTwelveNestedPoolGovernedEvents() throws Exception {
        Path file = ChildJvm.workFile("nested-pools", ".jfr");
        ChildJvm.Result r = recorded(NestedPoolsApp.class, file).args("deep").run();
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.stdout.contains("pools-done"), r::toString);
        List<RecordedEvent> pools = events(file, "threadgov.PoolGoverned");
        List<RecordedEvent> nested = pools.stream().filter(e -> e.getBoolean("nested")).collect(Collectors.toList());
        assertEquals(12, nested.size(), pools.toString());
        assertEquals(13, pools.size(), "12 nested + the top-level pool: " + pools);
        Map<Integer, Long> byDepth = nested.stream().collect(Collectors.groupingBy(e -> e.getInt("depth"),
                Collectors.counting()));
        assertEquals(Map.of(1, 4L, 2, 4L, 3, 4L), byDepth);
        for (RecordedEvent e : nested) {
            // budget 2 over 4 outer workers: each has share 1, so every nested pool asking for 4 gets 1
            assertEquals(4, e.getInt("requested"));
            assertEquals(1, e.getInt("granted"));
            assertEquals(1, e.getInt("share"));
            assertTrue(e.getBoolean("applied"));
            assertTrue(e.getString("creator").startsWith(NestedPoolsApp.class.getName() + ".lambda$deep$"),
                    e.getString("creator"));
        }
        RecordedEvent top = pools.stream().filter(e -> !e.getBoolean("nested")).findFirst().orElseThrow();
        assertEquals(NestedPoolsApp.class.getName() + ".main", top.getString("creator"));
        assertEquals("ThreadPoolExecutor", top.getString("kind"));
        assertEquals(4, top.getInt("granted"));
        assertEquals("threadgov", top.getEventType().getCategoryNames().get(0));
    }

    @Test
    void parallelismIsSampledEverySecondWithDefaultSettings() throws Exception {
        Path file = ChildJvm.workFile("parallelism", ".jfr");
        try (ChildJvm.Running c = recorded(NestedPoolsApp.class, file).args("deep", "wait").start()) {
            c.awaitLine("nested-size");
            Thread.sleep(2500); // periodic events: 1 s period by default; the assertion counts, never times
            ChildJvm.Result r = c.await();
            assertEquals(0, r.exit, r::toString);
        }
        List<RecordedEvent> samples = events(file, "threadgov.Parallelism");
        assertFalse(samples.isEmpty(), "no threadgov.Parallelism event");
        RecordedEvent s = samples.get(samples.size() - 1);
        assertEquals(2, s.getInt("budget"));
        assertTrue(s.getInt("liveThreads") >= 5, "live " + s.getInt("liveThreads"));
        assertTrue(s.getInt("runnableThreads") >= 1);
        assertTrue(s.getInt("poolsLive") >= 1);
    }

    /**
     * Needs the native layer ({@code io.threadgov.governor.natives.NativeGovernor} in the agent jar): skipped
     * until it is built in, then runs by itself.
     */
    @Test
    void aBlasAppRecordsNativeRuntimeNativeLimitAndParallelism() throws Exception {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            assumeTrue(jar.stream().anyMatch(e -> e.getName().endsWith("io/threadgov/governor/natives/NativeGovernor.class")),
                    "the native layer is not in this agent jar yet");
        }
        Path lib = Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0");
        assumeTrue(Files.exists(lib), "no system OpenBLAS");
        Path file = ChildJvm.workFile("blas", ".jfr");
        ChildJvm.Result r = recorded(BlasApp.class, file).args(lib.toString(), "2500").run();
        assertEquals(0, r.exit, r::toString);
        assertTrue(r.stdout.contains("blas-done"), r::toString);
        List<RecordedEvent> runtimes = events(file, "threadgov.NativeRuntime");
        assertTrue(runtimes.stream().anyMatch(e -> "blas".equals(e.getString("api"))
                && e.getString("filepath").contains("openblas")), runtimes.toString());
        List<RecordedEvent> limits = events(file, "threadgov.NativeLimit");
        assertFalse(limits.isEmpty(), "no threadgov.NativeLimit event");
        assertTrue(limits.stream().allMatch(e -> e.getInt("newThreads") >= 1 && e.getInt("newThreads") <= 2),
                limits.toString());
        assertFalse(events(file, "threadgov.Parallelism").isEmpty(), "no threadgov.Parallelism event");
    }
}
