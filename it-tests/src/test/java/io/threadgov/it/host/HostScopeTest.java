package io.threadgov.it.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Host scope, end to end: real JVMs with the real agent share one budget through the table file; a JVM killed with
 * {@code kill -9} gives its share back within a second; a table the agent may not trust is refused.
 */
class HostScopeTest {

    private static ChildJvm jvm(Path table, String name, long busyMs, long idleMs) {
        return ChildJvm.app(HostApp.class).javacpp().name(name)
                .agent("cores=2,scope=host,host_table=" + table).report()
                .args(Long.toString(busyMs), Long.toString(idleMs)).timeout(60);
    }

    /** The {@code budget B at_ms T} lines of {@code stdout}, as {B, T} pairs. */
    private static List<long[]> budgets(String stdout) {
        List<long[]> out = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("budget ")) {
                String[] f = line.split(" ");
                out.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[3])});
            }
        }
        return out;
    }

    private static long atMs(String line) {
        String[] f = line.split(" ");
        for (int i = 0; i < f.length - 1; i++) {
            if (f[i].equals("at_ms")) {
                return Long.parseLong(f[i + 1]);
            }
        }
        throw new AssertionError("no at_ms in " + line);
    }

    /** Lets both start computing together, once both have loaded BLAS. */
    private static void go(ChildJvm.Running a, ChildJvm.Running b) throws Exception {
        a.awaitLine("ready");
        b.awaitLine("ready");
        a.send("go");
        b.send("go");
    }

    @Test
    void twoBusyJvmsSplitTheHostAndTheOneLeftBusyGetsEveryCoreBack() throws Exception {
        Path table = ChildJvm.workDir("host").resolve("table");
        try (ChildJvm.Running a = jvm(table, "host-a", 4000, 1000).start();
             ChildJvm.Running b = jvm(table, "host-b", 1500, 0).start()) {
            go(a, b);
            long bBusyDone = atMs(b.awaitLine("busy_done"));
            ChildJvm.Result rb = b.await();
            ChildJvm.Result ra = a.await();
            assertEquals(0, ra.exit, ra.toString());
            assertEquals(0, rb.exit, rb.toString());
            List<long[]> seen = budgets(ra.stdout);
            assertTrue(seen.stream().anyMatch(x -> x[0] == 1 && x[1] < bBusyDone),
                    "while both computed, A had 1 of the 2 cores: " + ra.stdout);
            long back = seen.stream().filter(x -> x[0] == 2 && x[1] >= bBusyDone).mapToLong(x -> x[1]).min()
                    .orElseThrow(() -> new AssertionError("A never got both cores back after B went idle: " + ra.stdout));
            assertTrue(back - bBusyDone < 1000, "A got the cores back " + (back - bBusyDone) + " ms after B went idle");
            Map<String, Object> report = ra.report();
            assertEquals("host", report.get("scope"));
            Map<?, ?> host = (Map<?, ?>) report.get("host");
            assertEquals(2, ((Number) host.get("cores")).intValue());
            assertEquals(table.toString(), host.get("table"));
            assertTrue(((Number) host.get("changes")).intValue() >= 2, host.toString());
            assertEquals("host", report.get("budget_source"), "the grant is the budget");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(table)));
        }
    }

    @Test
    void aJvmKilledWithSigkillGivesItsShareBackWithinASecond() throws Exception {
        Path table = ChildJvm.workDir("host").resolve("table");
        try (ChildJvm.Running a = jvm(table, "host-a", 6000, 0).start();
             ChildJvm.Running b = jvm(table, "host-b", 30000, 0).start()) {
            go(a, b);
            // both compute (a "budget 2" before it, A alone for a moment at the start, is skipped when printed: on
            // a loaded machine A may see B's demand at its first tick and print none)
            a.awaitLine("budget 1");
            long killedAt = System.currentTimeMillis();
            b.kill(); // SIGKILL: no shutdown hook frees its slot
            long back = atMs(a.awaitLine("budget 2"));
            assertTrue(back - killedAt < 1000, "A got B's share back " + (back - killedAt) + " ms after kill -9");
            ChildJvm.Result ra = a.await();
            assertEquals(0, ra.exit, ra.toString());
            Map<?, ?> host = (Map<?, ?>) ra.report().get("host");
            assertEquals(1, ((Number) host.get("reclaimed")).intValue(), "B's slot freed by A: " + host);
        }
    }

    @Test
    void aJvmWhosePoolTasksSitParkedDemandsNothingAndTheOneThatComputesKeepsEveryCore() throws Exception {
        Path table = ChildJvm.workDir("host").resolve("table");
        try (ChildJvm.Running p = ChildJvm.app(HostParkedApp.class).name("host-parked")
                     .agent("cores=2,scope=host,host_table=" + table).report().args("2500").timeout(60).start();
             ChildJvm.Running a = jvm(table, "host-a", 2000, 0).start()) {
            go(p, a);
            ChildJvm.Result ra = a.await();
            ChildJvm.Result rp = p.await();
            assertEquals(0, ra.exit, ra.toString());
            assertEquals(0, rp.exit, rp.toString());
            Map<String, Object> parked = rp.report();
            // its two workers are busy for their pool (the feature's reason to be): they run tasks that never end
            assertEquals(2, ((Number) parked.get("busy_workers")).intValue(), "P's workers are busy: " + parked);
            Map<?, ?> ph = (Map<?, ?>) parked.get("host");
            assertEquals(0, ((Number) ph.get("demand")).intValue(), "parked workers demand nothing: " + ph);
            List<long[]> seen = budgets(ra.stdout);
            assertFalse(seen.isEmpty(), ra.stdout);
            assertTrue(seen.stream().allMatch(x -> x[0] == 2), "A, the one JVM computing, kept both cores: " + ra.stdout);
            Map<?, ?> ah = (Map<?, ?>) ra.report().get("host");
            assertEquals(2, ((Number) ah.get("jvms")).intValue(), "A saw P (it exits after A): " + ah);
            assertEquals(0, ((Number) ah.get("others_demand")).intValue(), "A saw no demand from P: " + ah);
        }
    }

    /**
     * A task thread computing BLAS beside two workers parked in their message loops (a Spark executor running one
     * task): under host scope the parked pair leaves the process-wide native count once parked for the look's
     * count, so OpenBLAS runs the caller at the budget; under jvm scope (no look) the three split it.
     */
    @Test
    void aBlasCallerBesideParkedWorkersGetsTheBudgetUnderHostScope() throws Exception {
        Path table = ChildJvm.workDir("host").resolve("table");
        for (String scope : new String[] {"host", "jvm"}) {
            try (ChildJvm.Running p = ChildJvm.app(HostParkedApp.class).javacpp().jna().name("host-parked-blas-" + scope)
                         .agent("cores=2,scope=" + scope + ",host_table=" + table).report().args("0", "1500")
                         .timeout(60).start()) {
                p.awaitLine("ready");
                p.send("go");
                ChildJvm.Result r = p.await();
                assertEquals(0, r.exit, r.toString());
                String blas = r.stdout.lines().filter(l -> l.startsWith("blas ")).findFirst()
                        .orElseThrow(() -> new AssertionError("no blas line: " + r));
                Map<String, Object> report = r.report();
                assertEquals(2, ((Number) report.get("busy_workers")).intValue(), "the pair is busy for its pool: " + report);
                if (scope.equals("host")) {
                    assertTrue(blas.contains("threads_last=2"), "the caller computes alone: the budget's 2 threads: " + blas);
                    Map<?, ?> host = (Map<?, ?>) report.get("host");
                    assertEquals(2, ((Number) host.get("dormant_workers")).intValue(), "the pair is dormant: " + host);
                } else {
                    assertTrue(blas.contains("threads_last=1") && blas.contains("threads_max=1"),
                            "jvm scope counts the parked pair: 1 thread: " + blas);
                }
            }
        }
    }

    @Test
    void aTableItMayNotTrustIsRefusedInOneLineAndTheJvmGovernsItself() throws Exception {
        Path dir = ChildJvm.workDir("host");
        Path good = dir.resolve("good");
        Files.write(good, new byte[4160]);
        Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rw-------"));
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, good);
        Path open = dir.resolve("open");
        Files.write(open, new byte[0]);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path corrupt = dir.resolve("corrupt");
        Files.write(corrupt, "not a table at all, but the right size?".getBytes());
        Files.setPosixFilePermissions(corrupt, PosixFilePermissions.fromString("rw-------"));
        refused(link, "symbolic link");
        assertEquals(4160, Files.size(good));
        assertTrue(java.util.Arrays.equals(new byte[4160], Files.readAllBytes(good)), "the link's target was not written");
        refused(open, "permissions rw-rw-rw-");
        refused(corrupt, "corrupt");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root || "true".equals(System.getenv("CI"))) { // CI runs as root: there another user's file can be made
            Path foreign = dir.resolve("foreign");
            Files.write(foreign, new byte[0]);
            Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rw-------"));
            UserPrincipal nobody = foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(foreign, nobody);
            refused(foreign, "belongs to user id");
            assertEquals(0, Files.size(foreign), "another user's table was not written");
        }
    }

    private static void refused(Path table, String why) throws Exception {
        ChildJvm.Result r = jvm(table, "host-refused", 300, 0).run();
        // it waits for a line on stdin: closed at once, it ends without computing
        assertEquals(0, r.exit, r.toString());
        List<String> lines = r.agentLines();
        long said = lines.stream().filter(l -> l.contains("host scope not used")).count();
        assertEquals(1, said, "one line: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("host scope not used") && l.contains(why)),
                why + " named: " + lines);
        assertEquals("jvm", r.report().get("scope"));
        assertFalse(r.report().containsKey("host"));
    }
}
