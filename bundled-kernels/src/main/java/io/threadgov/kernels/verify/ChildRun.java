package io.threadgov.kernels.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code run KERNEL} in a child JVM with one {@link Setting}, stdout/stderr to files in the work dir,
 * under a timeout (on expiry the whole process tree is killed and the run is marked failed), and parses the
 * child's {@code KERNEL_RESULT} line.
 */
final class ChildRun {
    /** Variables that would change the naive app's thread counts or inject agents: removed from children. */
    static final List<String> SCRUBBED_ENV = List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "OMP_THREAD_LIMIT", "OMP_DYNAMIC", "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS");

    /** The outcome of one child. */
    record Outcome(Setting setting, boolean completed, String reason, String checksum, boolean exact, double ms,
                   int peakThreads, int peakJavaThreads, Map<String, Object> phases, Path stdout, Path stderr) {

        static Outcome failed(Setting s, String reason, Path out, Path err) {
            return new Outcome(s, false, reason, null, true, Double.NaN, -1, -1, Map.of(), out, err);
        }
    }

    /** Children alive now: killed (with their trees) if verify itself is stopped. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "verify-kill-children"));
    }

    private ChildRun() {
    }

    static Outcome run(String kernel, Setting setting, List<String> commonJvmArgs, Path workDir, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(kernel, setting, commonJvmArgs, workDir, timeoutSeconds, "");
    }

    /** As {@link #run(String, Setting, List, Path, long)}; {@code fileSuffix} tells apart repeated runs' files. */
    @SuppressWarnings("unchecked")
    static Outcome run(String kernel, Setting setting, List<String> commonJvmArgs, Path workDir, long timeoutSeconds,
                       String fileSuffix) throws IOException, InterruptedException {
        String base = kernel + "-" + setting.slug() + fileSuffix;
        Path out = workDir.resolve(base + ".out");
        Path err = workDir.resolve(base + ".err");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(commonJvmArgs);
        cmd.addAll(setting.jvmArgs());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.threadgov.kernels.Main");
        cmd.add("run");
        cmd.add(kernel);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        SCRUBBED_ENV.forEach(pb.environment()::remove);
        pb.environment().putAll(setting.env());
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Files.writeString(workDir.resolve(base + ".cmd"), describe(setting, cmd) + System.lineSeparator());
        Process p = pb.start();
        LIVE.add(p);
        boolean exited;
        try {
            exited = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        } finally {
            LIVE.remove(p);
        }
        if (!exited) {
            killTree(p);
            return Outcome.failed(setting, "timed out after " + timeoutSeconds + " s (killed; deadlock?)", out, err);
        }
        Map<String, Object> result = null;
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            try {
                Map<String, Object> r = VerifyJson.readKernelResult(line);
                if (r != null) {
                    result = r;
                }
            } catch (IllegalArgumentException e) {
                return Outcome.failed(setting, "unreadable result line: " + e.getMessage(), out, err);
            }
        }
        if (result == null) {
            return Outcome.failed(setting, "exit code " + p.exitValue() + " without a result (see " + err + ")", out, err);
        }
        boolean stable = Boolean.TRUE.equals(result.get("stable"));
        Object phases = result.get("phases");
        return new Outcome(setting, stable, stable ? null : "checksum differed between repetitions",
                String.valueOf(result.get("checksum")), Boolean.TRUE.equals(result.get("exact")),
                num(result.get("ms")), (int) num(result.get("peak_threads")), (int) num(result.get("peak_java_threads")),
                phases instanceof Map ? (Map<String, Object>) phases : Map.of(), out, err);
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String describe(Setting s, List<String> cmd) {
        StringBuilder b = new StringBuilder();
        s.env().forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
        return b.append(String.join(" ", cmd)).toString();
    }

    /** Kills the child and everything it started, children first. */
    static void killTree(Process p) throws InterruptedException {
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

}
