package io.threadgov.it.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threadgov.it.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the user-facing one-liner, {@code java -jar threadgov-kernels.jar verify --quick --json FILE --agent
 * threadgov-agent.jar}, as a child process against the real jars, and checks its JSON:
 * <ul>
 *   <li>every bundled kernel is listed and ok: the runs without the agent, with it and at every static
 *       grid point completed and computed the same checksum (no deadlock, no wrong result);</li>
 *   <li>peak threads: where the agent cuts nested pools (nested-forkjoin, nested-openmp) it must lower the
 *       peak (agent < none); sibling-wait's nested pools of 2 wait on their siblings part of the time, and
 *       the demand may give such a pool its 2 threads back (docs/DESIGN.md, section 9), so it is held to the
 *       rule of the others (cut, it was 1 thread below); elsewhere the peak may be at most {@value #AGENT_OWN_THREADS} above (the
 *       agent's relief thread, and the sampled peak of the same configuration varies by a thread between runs:
 *       JVM compiler and GC threads), sibling-wait's {@value #SIBLING_WAIT_CHURN} more (a nested pool per outer
 *       task: the threads of a finished pool may still be counted beside the next one's), io-fanout's at most {@value #IO_FANOUT_PEAK_NOISE} above (its nested pools of 16 threads
 *       come and go per request, so one configuration's peak spreads widely: 155 to 181 in one quick verify at
 *       outer=8 inner=16). The target is agent <= none everywhere, which the full runs in BENCHMARKS.md
 *       ("Current results") meet;</li>
 *   <li>on 2 or more cores, the agent pays off where nesting hurts most: none/agent >= {@value #MIN_SPEEDUP} for
 *       nested-blas and nested-openmp (target 1.3; the margin is for noise on a shared machine);</li>
 *   <li>on 2 or more cores, phased: agent/best static <= {@value #PHASED_MAX_OF_BEST} (target: below 1, the
 *       agent ahead of every static setting; measured well below 1 in BENCHMARKS.md, since a static point
 *       either runs the large calls at 1 thread or oversubscribes the pool phase).</li>
 * </ul>
 * Not a timed unit test: the speed figures come from verify's own medians, and the thresholds are far below
 * the effect (the naive nested-blas is an order of magnitude slower than a governed one on 2 cores).
 */
class VerifyQuickTest {
    /**
     * Where the agent cuts nothing: its own thread there (threadgov-relief, once a pool was cut) and the sampled peak's
     * variance between runs of one configuration (a thread: JVM compiler and GC threads; sibling-wait read 48 against
     * 46 without the agent in a CI run of 2026-12-07, both threadgov threads listed).
     */
    static final int AGENT_OWN_THREADS = 2;
    /**
     * sibling-wait creates a nested pool of 2 in every outer task, so a sampled peak may hold the 2 threads of a
     * finished pool that have not left the OS yet beside its successor's: its peak spreads by a pool (none 46-47,
     * agent 47-50 over 9 quick runs of 2026-12-07, the agent's 25-26 pool threads against 25 plus threadgov-relief;
     * a CI run read agent 49 against none 46).
     */
    static final int SIBLING_WAIT_CHURN = 2;
    /** io-fanout, where the agent need not cut: the spread of the sampled peak between runs of one configuration. */
    static final int IO_FANOUT_PEAK_NOISE = 32;

    static final double MIN_SPEEDUP = 1.15;
    static final double PHASED_MAX_OF_BEST = 1.05;
    static final long TIMEOUT_MINUTES = 8;
    static final List<String> KERNELS = List.of("nested-blas", "nested-openmp", "nested-forkjoin",
            "streams-in-executor", "phased", "unbalanced", "sibling-wait", "io-fanout");

    @Test
    void verifyQuickAgreesAndTheAgentPaysOff() throws Exception {
        assertTrue(Files.isRegularFile(ChildJvm.AGENT_JAR), "agent jar missing: " + ChildJvm.AGENT_JAR + " (run mvn package)");
        Path work = Files.createDirectories(ChildJvm.WORK.resolve("verify-quick"));
        Path json = work.resolve("verify.json");
        Files.deleteIfExists(json);

        ChildJvm.Result run = ChildJvm.jar(ChildJvm.KERNELS_JAR).name("verify-quick").timeout(TIMEOUT_MINUTES * 60)
                .args("verify", "--quick", "--json", json.toString(), "--agent", ChildJvm.AGENT_JAR.toString(),
                        "--work", work.resolve("children").toString())
                .run();
        assertFalse(run.timedOut, () -> "verify --quick did not finish in " + TIMEOUT_MINUTES + " min: " + run);
        String output = run.output();
        assertTrue(Files.isRegularFile(json), "verify wrote no JSON (exit " + run.exit + "):\n" + output);

        Map<String, Map<String, Object>> byKernel = kernels(ChildJvm.json(json));
        assertEquals(KERNELS, new ArrayList<>(byKernel.keySet()), "kernels in the JSON\n" + output);

        List<String> failures = new ArrayList<>();
        boolean multiCore = Runtime.getRuntime().availableProcessors() >= 2;
        for (Map.Entry<String, Map<String, Object>> e : byKernel.entrySet()) {
            String k = e.getKey();
            Map<String, Object> r = e.getValue();
            if (!Boolean.TRUE.equals(r.get("ok"))) {
                failures.add(k + ": not ok " + r.get("reasons"));
            }
            Double none = number(r.get("peak_threads_none"));
            Double agent = number(r.get("peak_threads_agent"));
            boolean cuts = k.equals("nested-forkjoin") || k.equals("nested-openmp");
            int noise = k.equals("io-fanout") ? IO_FANOUT_PEAK_NOISE
                    : k.equals("sibling-wait") ? AGENT_OWN_THREADS + SIBLING_WAIT_CHURN : AGENT_OWN_THREADS;
            if (none == null || agent == null || (cuts ? agent >= none : agent > none + noise)) {
                failures.add(k + ": peak threads agent " + r.get("peak_threads_agent") + ", none "
                        + r.get("peak_threads_none") + (cuts ? " (want agent < none)"
                        : " (want agent <= none + " + noise + ")"));
            }
            if (multiCore && (k.equals("nested-blas") || k.equals("nested-openmp"))) {
                Double noneMs = number(r.get("none_ms"));
                Double agentMs = number(r.get("agent_ms"));
                if (noneMs == null || agentMs == null || noneMs / agentMs < MIN_SPEEDUP) {
                    failures.add(String.format("%s: none/agent = %s / %s ms < %.2f", k, r.get("none_ms"),
                            r.get("agent_ms"), MIN_SPEEDUP));
                }
            }
        }
        Map<String, Object> phased = byKernel.get("phased");
        if (multiCore && phased != null) {
            Double agentMs = number(phased.get("agent_ms"));
            Double bestMs = number(phased.get("best_static_ms"));
            if (agentMs == null || bestMs == null || agentMs / bestMs > PHASED_MAX_OF_BEST) {
                failures.add(String.format("phased: agent/best static = %s / %s ms > %.2f", phased.get("agent_ms"),
                        phased.get("best_static_ms"), PHASED_MAX_OF_BEST));
            }
        }
        if (run.exit != 0 && failures.isEmpty()) {
            failures.add("verify exited with " + run.exit);
        }
        assertTrue(failures.isEmpty(), "failures:\n  " + String.join("\n  ", failures) + "\n\n" + output);
    }

    /** verify's JSON by kernel name: each kernel's object, in the file's order. */
    static Map<String, Map<String, Object>> kernels(Map<String, Object> verifyJson) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> k : ChildJvm.objects(verifyJson, "kernels")) {
            out.put((String) k.get("kernel"), k);
        }
        return out;
    }

    /** A number of the JSON, null when absent or not a number. */
    private static Double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }
}
