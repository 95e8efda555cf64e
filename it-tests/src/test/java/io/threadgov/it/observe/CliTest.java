package io.threadgov.it.observe;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar threadgov-agent.jar info|attach} against live child JVMs. */
class CliTest {

    @Test
    void infoDescribesAJvmLikeThisOne() throws Exception {
        Child.Result text = Child.cli("info");
        assertEquals(0, text.rc, text.toString());
        assertTrue(text.out.contains("budget"), text.out);
        assertTrue(text.out.contains("affinity"), text.out);
        assertTrue(text.out.contains("ParallelGCThreads"), text.out);

        Child.Result json = Child.cli(List.of("-Dthreadgov.cores=3"), "info", "--json");
        assertEquals(0, json.rc, json.toString());
        assertTrue(json.out.startsWith("{\"budget\": 3, \"budget_source\": \"-Dthreadgov.cores\""), json.out);
        assertTrue(json.out.contains("\"available_processors\": " + Runtime.getRuntime().availableProcessors()));
        assertTrue(json.out.contains("\"cpu\": {\"cgroup_version\": "), json.out);
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0"))) {
            assertTrue(json.out.contains("\"filepath\": \"/usr/lib/x86_64-linux-gnu/libopenblas.so.0\""), json.out);
        }
    }

    @Test
    void usageErrorsAndMissingProcesses() throws Exception {
        Child.Result none = Child.cli();
        assertEquals(2, none.rc);
        assertTrue(none.err.contains("usage:"));
        Child.Result notPid = Child.cli("info", "abc");
        assertEquals(2, notPid.rc);
        assertTrue(notPid.err.contains("'abc' is not a process id"), notPid.err);

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(30, TimeUnit.SECONDS);
        Child.Result r = Child.cli("attach", Long.toString(gone.pid()), "cores=2");
        assertEquals(1, r.rc, r.toString());
        assertTrue(r.err.contains("no process with PID " + gone.pid()), r.err);
        r = Child.cli("info", Long.toString(gone.pid()));
        assertEquals(1, r.rc, r.toString());
        assertTrue(r.err.contains("no process with PID"), r.err);
    }

    @Test
    void infoPidReportsARunningGovernedJvmAndAttachRefusesIt() throws Exception {
        try (Child c = Child.start(List.of("-javaagent:" + Child.AGENT_JAR, "-Dthreadgov.cores=2"),
                NestedPoolsApp.class, "wait")) {
            c.await("nested-size");
            String pid = Long.toString(c.pid());
            Child.Result json = Child.cli("info", pid, "--json");
            assertEquals(0, json.rc, json.toString());
            assertTrue(json.out.startsWith("{\"budget\": 2, \"mode\": \"enforce\""), json.out);
            assertTrue(json.out.contains("\"pools_total\": 14"), json.out);
            assertTrue(json.out.contains("\"creator\": \"" + NestedPoolsApp.class.getName() + ".main\""), json.out);

            Child.Result text = Child.cli("info", pid);
            assertEquals(0, text.rc, text.toString());
            assertTrue(text.out.contains("threadgov report of JVM " + pid), text.out);
            assertTrue(text.out.contains("14 decided"), text.out);

            Child.Result again = Child.cli("attach", pid, "cores=1");
            assertEquals(1, again.rc, again.toString());
            assertTrue(again.err.contains("already has the threadgov agent"), again.err);
            assertEquals(0, c.finish(), c.stderr());
            assertTrue(!c.stderr().contains("already loaded"), "the refused attach must not reach the JVM: " + c.stderr());
        }
    }

    @Test
    void infoPidRefusesAJvmWithoutTheAgent() throws Exception {
        try (Child c = Child.start(List.of(), LateAttachApp.class)) {
            c.await("ready");
            Child.Result r = Child.cli("info", Long.toString(c.pid()));
            assertEquals(1, r.rc, r.toString());
            assertTrue(r.err.contains("has no threadgov agent"), r.err);
            assertEquals(0, c.finish(), c.stderr());
        }
    }

    @Test
    void attachGovernsPoolsCreatedAfterwardsAndReportsThoseBefore() throws Exception {
        try (Child c = Child.start(List.of(), LateAttachApp.class)) {
            c.await("ready");
            c.send("go");
            assertEquals("sizes 2 8 8", c.await("sizes"), "ungoverned before the attach");
            String pid = Long.toString(c.pid());

            Child.Result r = Child.cli("attach", pid, "cores=2");
            assertEquals(0, r.rc, r.toString());
            assertTrue(r.out.contains("threadgov agent loaded into JVM " + pid + " with cores=2"), r.out);
            assertTrue(r.out.contains("budget                 2"), r.out);
            assertTrue(r.out.matches("(?s).*ForkJoinPool\\s+parallelism 3 .*"), r.out);
            assertTrue(r.out.matches("(?s).*thread pool\\s+threads 3\\s+pool-1.*"), r.out);

            c.send("go");
            // top-level pool of 2 keeps its size; its workers have share 2/2 = 1, so the nested pool of 8 gets 1
            assertEquals("sizes 2 1 1", c.await("sizes"));

            Child.Result json = Child.cli("info", pid, "--json");
            assertEquals(0, json.rc, json.toString());
            assertTrue(json.out.startsWith("{\"budget\": 2"), json.out);

            Child.Result again = Child.cli("attach", pid);
            assertEquals(1, again.rc);
            assertTrue(again.err.contains("already has the threadgov agent (threadgov.agent.loaded=attach)"), again.err);
            assertEquals(0, c.finish(), c.stderr());
        }
    }
}
