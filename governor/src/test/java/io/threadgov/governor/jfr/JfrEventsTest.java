package io.threadgov.governor.jfr;

import io.threadgov.governor.Config;
import io.threadgov.governor.Governor;
import io.threadgov.governor.PoolDecision;
import io.threadgov.governor.SharePolicy;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JFR sink against a real in-process recording, read back with RecordingFile. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JfrEventsTest {

    @TempDir
    Path dir;

    private static Governor governor(int cores) {
        Properties p = new Properties();
        return new Governor(Config.parse("cores=" + cores, p, 2));
    }

    @Test
    @Order(1)
    void installStartsNothingOfJfr() {
        Governor g = governor(4);
        assertTrue(JfrEvents.install(g));
        assertTrue(g.events() instanceof JfrEventSink);
        // the periodic event is registered only when the recorder comes up: install must not start it
        assertFalse(FlightRecorder.isInitialized(), "JfrEvents.install initialized the flight recorder");
        // without a recording the sink records nothing and does not fail
        PoolDecision d = g.decideForkJoin(3);
        ForkJoinPool p = new ForkJoinPool(SharePolicy.sizeToBuild(d));
        g.register(p, d);
        p.shutdown();
    }

    @Test
    @Order(2)
    void poolDecisionsBecomeEventsWithTheirFields() throws Exception {
        Governor g = governor(4);
        JfrEvents.install(g);
        Path file = dir.resolve("pools.jfr");
        try (Recording r = new Recording()) {
            r.enable("threadgov.PoolGoverned");
            r.enable("threadgov.StarvationRelief");
            r.enable("threadgov.NativeRuntime");
            r.enable("threadgov.NativeLimit");
            r.enable("threadgov.PoolRedecided");
            r.start();
            PoolDecision outer = g.decideForkJoin(4);
            ForkJoinPool outerPool = new ForkJoinPool(SharePolicy.sizeToBuild(outer));
            g.register(outerPool, outer);
            AtomicReference<PoolDecision> inner = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                g.workerStart(outerPool);
                PoolDecision d = g.decideThreadPool(8, 8, Integer.MAX_VALUE);
                ThreadPoolExecutor tpe = new ThreadPoolExecutor(SharePolicy.sizeToBuild(d), SharePolicy.sizeToBuild(d),
                        0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                g.register(tpe, d);
                inner.set(d);
                tpe.shutdown();
                g.workerEnd();
            });
            worker.start();
            worker.join();
            g.events().starvationRelief(inner.get(), 1, 2, 150, 7);
            g.events().nativeRuntime(Map.of("user_api", "blas", "internal_api", "openblas", "filepath",
                    "/x/libopenblas.so.0", "version", "0.3.21", "threading_layer", "pthreads", "num_threads", 2,
                    "scope", "process"));
            g.events().nativeLimit("openblas", "thread", 2, 1, "worker-1");
            g.events().poolRedecided(inner.get(), new PoolDecision.Redecision(12, 1, 8,
                    io.threadgov.governor.Decision.DEMAND, 0.03));
            outerPool.shutdown();
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> pools = byName(events, "threadgov.PoolGoverned");
        assertEquals(2, pools.size(), events.toString());
        RecordedEvent top = pools.stream().filter(e -> !e.getBoolean("nested")).findFirst().orElseThrow();
        assertEquals("ForkJoinPool", top.getString("kind"));
        assertEquals(4, top.getInt("requested"));
        assertEquals(4, top.getInt("granted"));
        assertEquals(0, top.getInt("depth"));
        assertEquals(1, top.getInt("share"));
        RecordedEvent nested = pools.stream().filter(e -> e.getBoolean("nested")).findFirst().orElseThrow();
        assertEquals("ThreadPoolExecutor", nested.getString("kind"));
        assertEquals(8, nested.getInt("requested"));
        assertEquals(1, nested.getInt("granted"));
        assertEquals(1, nested.getInt("depth"));
        assertEquals(top.getLong("poolId"), nested.getLong("parentId"));
        assertTrue(nested.getBoolean("applied"));
        assertEquals("fixed", nested.getString("semantics"));
        assertEquals("threadgov", top.getEventType().getCategoryNames().get(0));

        RecordedEvent relief = byName(events, "threadgov.StarvationRelief").get(0);
        assertEquals(1, relief.getInt("from"));
        assertEquals(2, relief.getInt("to"));
        assertEquals(7, relief.getInt("queued"));
        assertEquals(Duration.ofMillis(150), relief.getDuration("blocked"));

        RecordedEvent rt = byName(events, "threadgov.NativeRuntime").get(0);
        assertEquals("blas", rt.getString("api"));
        assertEquals("/x/libopenblas.so.0", rt.getString("filepath"));
        assertEquals("pthreads", rt.getString("layer"));
        assertEquals(2, rt.getInt("threads"));

        RecordedEvent lim = byName(events, "threadgov.NativeLimit").get(0);
        assertEquals("thread", lim.getString("scope"));
        assertEquals(2, lim.getInt("oldThreads"));
        assertEquals(1, lim.getInt("newThreads"));
        assertEquals("worker-1", lim.getString("thread"));

        RecordedEvent re = byName(events, "threadgov.PoolRedecided").get(0);
        assertEquals(nested.getLong("poolId"), re.getLong("poolId"));
        assertEquals(1, re.getInt("fromParallelism"));
        assertEquals(8, re.getInt("toParallelism"));
        assertEquals("demand", re.getString("reason"));
        assertEquals(0.03, re.getDouble("demand"), 1e-9);
    }

    @Test
    @Order(3)
    void parallelismIsSampledPeriodicallyWhileEnabled() throws Exception {
        Governor g = governor(3);
        JfrEvents.install(g);
        Path file = dir.resolve("parallelism.jfr");
        try (Recording r = new Recording()) {
            r.enable("threadgov.Parallelism").withPeriod(Duration.ofMillis(50));
            r.start();
            // wait for samples by content, not by a fixed time
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<RecordedEvent> samples = List.of();
            while (samples.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                r.dump(file);
                samples = byName(RecordingFile.readAllEvents(file), "threadgov.Parallelism");
            }
            r.stop();
            assertTrue(samples.size() >= 2, "periodic samples: " + samples.size());
            // one of the sampling JVM's budget-3 governors wrote it (other tests' governors may too)
            List<RecordedEvent> mine = samples.stream().filter(e -> e.getInt("budget") == 3).collect(Collectors.toList());
            assertFalse(mine.isEmpty());
            RecordedEvent e = mine.get(0);
            assertTrue(e.getInt("liveThreads") >= 2, "live threads " + e.getInt("liveThreads"));
            assertTrue(e.getInt("runnableThreads") >= 1, "runnable " + e.getInt("runnableThreads"));
            assertEquals(e.getInt("runnableThreads") / 3.0, e.getDouble("runnableRatio"), 1e-9);
            assertEquals(0, e.getInt("busyWorkers"));
        }
    }

    private static List<RecordedEvent> byName(List<RecordedEvent> all, String name) {
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : all) {
            if (e.getEventType().getName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
