package io.threadgov.it.observe;

import io.threadgov.it.ChildJvm;
import io.threadgov.it.apps.NestedPoolsApp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar threadgov-agent.jar info|attach} against live child JVMs. */
class CliTest {

    /** Runs the CLI {@code java -jar threadgov-agent.jar ARGS} to its end. */
    static ChildJvm.Result cli(String... args) throws Exception {
        return cli(ChildJvm.jar(ChildJvm.AGENT_JAR), args);
    }

    /** Runs {@code cli ARGS} to its end: {@code cli} is the agent jar's ChildJvm, with JVM options. */
    static ChildJvm.Result cli(ChildJvm cli, String... args) throws Exception {
        return cli.name("cli-" + (args.length == 0 ? "none" : args[0])).args(args).run();
    }

    @Test
    void infoDescribesAJvmLikeThisOne() throws Exception {
        ChildJvm.Result text = cli("info");
        assertEquals(0, text.exit, text.toString());
        assertTrue(text.stdout.contains("budget"), text.stdout);
        assertTrue(text.stdout.contains("affinity"), text.stdout);
        assertTrue(text.stdout.contains("ParallelGCThreads"), text.stdout);

        ChildJvm.Result json = cli(ChildJvm.jar(ChildJvm.AGENT_JAR).sysprop("threadgov.cores", "3"), "info", "--json");
        assertEquals(0, json.exit, json.toString());
        assertTrue(json.stdout.startsWith("{\"budget\": 3, \"budget_source\": \"-Dthreadgov.cores\""), json.stdout);
        assertEquals(3L, ChildJvm.json(json.stdout).get("budget"), "JSON that parses: " + json.stdout);
        assertTrue(json.stdout.contains("\"available_processors\": " + Runtime.getRuntime().availableProcessors()));
        assertTrue(json.stdout.contains("\"cpu\": {\"cgroup_version\": "), json.stdout);
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0"))) {
            assertTrue(json.stdout.contains("\"filepath\": \"/usr/lib/x86_64-linux-gnu/libopenblas.so.0\""), json.stdout);
        }
    }

    @Test
    void usageErrorsAndMissingProcesses() throws Exception {
        ChildJvm.Result none = cli();
        assertEquals(2, none.exit);
        assertTrue(none.stderr.contains("usage:"));
        ChildJvm.Result notPid = cli("info", "abc");
        assertEquals(2, notPid.exit);
        assertTrue(notPid.stderr.contains("'abc' is not a process id"), notPid.stderr);

        ChildJvm.Result gone = ChildJvm.program("true").timeout(30).run();
        assertEquals(0, gone.exit, gone::toString);
        ChildJvm.Result r = cli("attach", Long.toString(gone.pid), "cores=2");
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.stderr.contains("no process with PID " + gone.pid), r.stderr);
        r = cli("info", Long.toString(gone.pid));
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.stderr.contains("no process with PID"), r.stderr);
    }

    @Test
    void infoPidReportsARunningGovernedJvmAndAttachRefusesIt() throws Exception {
        try (ChildJvm.Running c = ChildJvm.app(NestedPoolsApp.class).agent().sysprop("threadgov.cores", "2")
                .args("deep", "wait").start()) {
            c.awaitLine("nested-size");
            String pid = Long.toString(c.pid());
            ChildJvm.Result json = cli("info", pid, "--json");
            assertEquals(0, json.exit, json.toString());
            assertTrue(json.stdout.startsWith("{\"budget\": 2, \"mode\": \"enforce\""), json.stdout);
            assertTrue(json.stdout.contains("\"pools_total\": 14"), json.stdout);
            assertEquals(14L, ChildJvm.json(json.stdout).get("pools_total"), "JSON that parses: " + json.stdout);
            assertTrue(json.stdout.contains("\"creator\": \"" + NestedPoolsApp.class.getName() + ".main\""), json.stdout);

            ChildJvm.Result text = cli("info", pid);
            assertEquals(0, text.exit, text.toString());
            assertTrue(text.stdout.contains("threadgov report of JVM " + pid), text.stdout);
            assertTrue(text.stdout.contains("14 decided"), text.stdout);

            ChildJvm.Result again = cli("attach", pid, "cores=1");
            assertEquals(1, again.exit, again.toString());
            assertTrue(again.stderr.contains("already has the threadgov agent"), again.stderr);
            ChildJvm.Result end = c.await();
            assertEquals(0, end.exit, end::toString);
            assertTrue(!end.stderr.contains("already loaded"), "the refused attach must not reach the JVM: " + end.stderr);
        }
    }

    @Test
    void infoPidRefusesAJvmWithoutTheAgent() throws Exception {
        try (ChildJvm.Running c = ChildJvm.app(LateAttachApp.class).start()) {
            c.awaitLine("ready");
            ChildJvm.Result r = cli("info", Long.toString(c.pid()));
            assertEquals(1, r.exit, r.toString());
            assertTrue(r.stderr.contains("has no threadgov agent"), r.stderr);
            ChildJvm.Result end = c.await();
            assertEquals(0, end.exit, end::toString);
        }
    }

    @Test
    void attachGovernsPoolsCreatedAfterwardsAndReportsThoseBefore() throws Exception {
        try (ChildJvm.Running c = ChildJvm.app(LateAttachApp.class).start()) {
            c.awaitLine("ready");
            c.send("go");
            assertEquals("sizes 2 8 8", c.awaitLine("sizes"), "ungoverned before the attach");
            String pid = Long.toString(c.pid());

            ChildJvm.Result r = cli("attach", pid, "cores=2");
            assertEquals(0, r.exit, r.toString());
            assertTrue(r.stdout.contains("threadgov agent loaded into JVM " + pid + " with cores=2"), r.stdout);
            assertTrue(r.stdout.contains("budget                 2"), r.stdout);
            assertTrue(r.stdout.matches("(?s).*ForkJoinPool\\s+parallelism 3 .*"), r.stdout);
            assertTrue(r.stdout.matches("(?s).*thread pool\\s+threads 3\\s+pool-1.*"), r.stdout);

            c.send("go");
            // top-level pool of 2 keeps its size; its workers have share 2/2 = 1, so the nested pool of 8 gets 1
            assertEquals("sizes 2 1 1", c.awaitLine("sizes"));

            ChildJvm.Result json = cli("info", pid, "--json");
            assertEquals(0, json.exit, json.toString());
            assertTrue(json.stdout.startsWith("{\"budget\": 2"), json.stdout);

            ChildJvm.Result again = cli("attach", pid);
            assertEquals(1, again.exit);
            assertTrue(again.stderr.contains("already has the threadgov agent (threadgov.agent.loaded=attach)"), again.stderr);
            ChildJvm.Result end = c.await();
            assertEquals(0, end.exit, end::toString);
        }
    }
}
