package io.threadgov.kernels.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kernels jar's JSON, read and written here only: verify's results, written by {@code --json FILE} and read
 * back by {@code --html FILE --from JSON} (and, from the text just written, by a run's own {@code --html}), so a
 * page drawn from a stored file and one drawn by the run itself are the same; and a kernel child's result line
 * ({@link KernelResult}, written by {@code run KERNEL}, read by verify's {@link ChildRun}). The one place that
 * knows the field names; parsing and string quoting are {@link MiniJson}'s.
 */
public final class VerifyJson {
    /** The prefix of the line on a kernel child's stdout that carries its result as JSON. */
    public static final String KERNEL_RESULT = "KERNEL_RESULT ";

    private VerifyJson() {
    }

    /**
     * What one {@code run KERNEL} measured: the checksum (and whether it is exact, and the same in every
     * repetition), the median and each timed repetition's wall time in ms, the peak OS and Java thread counts,
     * the phases' median ms, the knobs.
     */
    public record KernelResult(String kernel, String checksum, boolean exact, boolean stable, double ms,
                               List<Double> repMs, int peakThreads, int peakJavaThreads, Map<String, Double> phases,
                               String knobs) {

        /** {@code KERNEL_RESULT {json}}: compact, on one line (bench/kernel-ab.sh reads its "ms" and "phases"). */
        public String line() {
            StringBuilder b = new StringBuilder(KERNEL_RESULT);
            b.append("{\"kernel\":").append(str(kernel))
                    .append(",\"checksum\":").append(str(checksum))
                    .append(",\"exact\":").append(exact)
                    .append(",\"stable\":").append(stable)
                    .append(",\"ms\":").append(num(ms))
                    .append(",\"rep_ms\":[");
            for (int i = 0; i < repMs.size(); i++) {
                b.append(i == 0 ? "" : ",").append(num(repMs.get(i)));
            }
            b.append("],\"peak_threads\":").append(peakThreads)
                    .append(",\"peak_java_threads\":").append(peakJavaThreads)
                    .append(",\"phases\":{");
            String sep = "";
            for (Map.Entry<String, Double> e : phases.entrySet()) {
                b.append(sep).append(MiniJson.quote(e.getKey())).append(':').append(num(e.getValue()));
                sep = ",";
            }
            return b.append("},\"knobs\":").append(str(knobs)).append('}').toString();
        }
    }

    /**
     * The JSON object of a kernel child's result line, as maps, lists, strings, Booleans and Doubles; null when
     * {@code line} is no result line. An IllegalArgumentException says what is not JSON.
     */
    static Map<String, Object> readKernelResult(String line) {
        return line.startsWith(KERNEL_RESULT) ? MiniJson.parseObject(line.substring(KERNEL_RESULT.length())) : null;
    }

    /** What the page's header shows about a run. Strings may be null (not recorded: an older JSON). */
    record Run(String date, String cpuModel, String command, String javaVersion, int cores, int machineCores,
               boolean quick, String agent, String agentArgs, double relativeTolerance) {
    }

    /**
     * One kernel's results. Times in ms, NaN when absent; {@code *Runs}: the child runs behind each median (failed
     * runs left out), whose min..max is the side's spread; peak threads -1 when absent.
     */
    record Kernel(String kernel, boolean ok, double noneMs, double agentMs, double bestMs, String bestSetting,
                  int peakNone, int peakAgent, int peakBest, boolean bitwise, List<String> reasons,
                  List<Double> noneRuns, List<Double> agentRuns, List<Double> bestRuns) {
    }

    /** A whole results file. */
    record Results(Run run, List<Kernel> kernels) {
    }

    // ---- writing

    static String write(Run run, List<Verdict> rows) {
        StringBuilder b = new StringBuilder();
        b.append("{\"date\": ").append(str(run.date()))
                .append(", \"cpu_model\": ").append(str(run.cpuModel()))
                .append(", \"java_version\": ").append(str(run.javaVersion()))
                .append(",\n \"command\": ").append(str(run.command()))
                .append(",\n \"cores\": ").append(run.cores()).append(", \"machine_cores\": ").append(run.machineCores())
                .append(", \"quick\": ").append(run.quick())
                .append(", \"agent\": ").append(str(run.agent()))
                .append(", \"agent_args\": ").append(str(run.agentArgs()))
                .append(", \"relative_tolerance\": ").append(run.relativeTolerance())
                .append(",\n \"kernels\": [");
        for (int i = 0; i < rows.size(); i++) {
            Verdict r = rows.get(i);
            b.append(i == 0 ? "\n  " : ",\n  ");
            b.append("{\"kernel\": ").append(MiniJson.quote(r.kernel))
                    .append(", \"ok\": ").append(r.ok)
                    .append(", \"none_ms\": ").append(num(r.none))
                    .append(", \"agent_ms\": ").append(num(r.agentMs))
                    .append(", \"best_static_ms\": ").append(num(r.bestMs))
                    .append(", \"best_static\": ").append(r.best == null ? "null" : MiniJson.quote(r.best.setting().label()))
                    .append(", \"peak_threads_none\": ").append(peak(r.none))
                    .append(", \"peak_threads_agent\": ").append(peak(r.agent))
                    .append(", \"peak_threads_best_static\": ").append(peak(r.best))
                    .append(", \"checksum\": ").append(r.none.completed() ? MiniJson.quote(r.none.checksum()) : "null")
                    .append(", \"bitwise\": ").append(r.bitwise)
                    .append(", \"reasons\": [");
            for (int j = 0; j < r.reasons.size(); j++) {
                b.append(j == 0 ? "" : ", ").append(MiniJson.quote(r.reasons.get(j)));
            }
            b.append("], \"none_runs_ms\": ").append(nums(r.none, List.of()))
                    .append(", \"agent_runs_ms\": ").append(nums(r.agent, r.agentRuns))
                    .append(", \"best_static_runs_ms\": ").append(nums(null, r.bestRuns))
                    .append(", \"contenders\": [");
            String sep = "";
            for (Map.Entry<String, List<ChildRun.Outcome>> c : r.confirmations().entrySet()) {
                b.append(sep).append("{\"setting\": ").append(MiniJson.quote(c.getKey()))
                        .append(", \"ms\": ").append(num(Verdict.median(c.getValue())))
                        .append(", \"runs_ms\": ").append(nums(null, c.getValue())).append('}');
                sep = ", ";
            }
            b.append("], \"grid\": [");
            for (int j = 0; j < r.grid.size(); j++) {
                ChildRun.Outcome g = r.grid.get(j);
                b.append(j == 0 ? "" : ", ").append("{\"setting\": ").append(MiniJson.quote(g.setting().label()))
                        .append(", \"ms\": ").append(num(g)).append(", \"peak_threads\": ").append(peak(g)).append('}');
            }
            b.append("]}");
        }
        b.append("\n]}\n");
        return b.toString();
    }

    private static String str(String v) {
        return v == null ? "null" : MiniJson.quote(v);
    }

    private static String num(ChildRun.Outcome o) {
        return o != null && o.completed() ? num(o.ms()) : "null";
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** The times of {@code first} (when not null) and {@code more}, as a JSON array (null for a failed run). */
    private static String nums(ChildRun.Outcome first, List<ChildRun.Outcome> more) {
        List<String> v = new ArrayList<>();
        if (first != null) {
            v.add(num(first));
        }
        more.forEach(o -> v.add(num(o)));
        return "[" + String.join(", ", v) + "]";
    }

    private static String peak(ChildRun.Outcome o) {
        return o != null && o.completed() ? Integer.toString(o.peakThreads()) : "null";
    }

    /** Writes {@code text} to {@code file}, creating its directory. */
    static void writeFile(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** This machine's CPU model from /proc/cpuinfo ("model name", else "Hardware"/"cpu model"), or null. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                String key = colon < 0 ? "" : line.substring(0, colon).trim();
                if (colon > 0 && List.of("model name", "Hardware", "cpu model").contains(key)
                        && !line.substring(colon + 1).isBlank()) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: not recorded
        }
        return null;
    }

    /**
     * This process's command line, shell-quoted, when the OS tells it and it ends with {@code verifyArgs};
     * otherwise {@code java -jar threadgov-kernels.jar verify ARGS}.
     */
    static String commandLine(String[] verifyArgs) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> words = new ArrayList<>();
        if (info.command().isPresent() && info.arguments().isPresent()) {
            List<String> all = List.of(info.arguments().get());
            if (all.size() >= verifyArgs.length
                    && all.subList(all.size() - verifyArgs.length, all.size()).equals(List.of(verifyArgs))) {
                words.add(info.command().get());
                words.addAll(all);
            }
        }
        if (words.isEmpty()) {
            words.addAll(List.of("java", "-jar", "threadgov-kernels.jar", "verify"));
            words.addAll(List.of(verifyArgs));
        }
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(b.length() == 0 ? "" : " ")
                    .append(w.matches("[A-Za-z0-9_./=:,+@%-]+") ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    // ---- reading

    /** Reads a file written by {@code --json}; an IllegalArgumentException says what is not verify's JSON. */
    static Results read(Path file) throws IOException {
        return read(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses verify's JSON; an IllegalArgumentException says what is not verify's JSON. */
    static Results read(String text) {
        Object parsed = MiniJson.parse(text);
        if (!(parsed instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!(top.get("kernels") instanceof List<?> list)) {
            throw new IllegalArgumentException("no \"kernels\" list");
        }
        Run run = new Run(text(top, "date"), text(top, "cpu_model"), text(top, "command"), text(top, "java_version"),
                (int) number(top, "cores", -1), (int) number(top, "machine_cores", -1),
                Boolean.TRUE.equals(top.get("quick")), text(top, "agent"), text(top, "agent_args"),
                number(top, "relative_tolerance", Double.NaN));
        List<Kernel> kernels = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> k) || !(k.get("kernel") instanceof String name)) {
                throw new IllegalArgumentException("entry " + kernels.size() + " of \"kernels\" has no \"kernel\" name");
            }
            double noneMs = number(k, "none_ms", Double.NaN);
            double agentMs = number(k, "agent_ms", Double.NaN);
            double bestMs = number(k, "best_static_ms", Double.NaN);
            List<String> reasons = new ArrayList<>();
            if (k.get("reasons") instanceof List<?> rs) {
                rs.forEach(r -> reasons.add(String.valueOf(r)));
            }
            kernels.add(new Kernel(name, Boolean.TRUE.equals(k.get("ok")), noneMs, agentMs, bestMs,
                    text(k, "best_static"), (int) number(k, "peak_threads_none", -1),
                    (int) number(k, "peak_threads_agent", -1), (int) number(k, "peak_threads_best_static", -1),
                    Boolean.TRUE.equals(k.get("bitwise")), List.copyOf(reasons),
                    runs(k, "none_runs_ms", noneMs), runs(k, "agent_runs_ms", agentMs),
                    runs(k, "best_static_runs_ms", bestMs)));
        }
        return new Results(run, List.copyOf(kernels));
    }

    private static String text(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static double number(Map<?, ?> m, String key, double absent) {
        return m.get(key) instanceof Number n ? n.doubleValue() : absent;
    }

    /**
     * The completed runs in {@code key}; when there are none (a JSON from before none_runs_ms, or --confirm 0,
     * where the best static time is its single grid run), the median itself as the one run behind it.
     */
    private static List<Double> runs(Map<?, ?> m, String key, double median) {
        List<Double> out = new ArrayList<>();
        if (m.get(key) instanceof List<?> l) {
            for (Object v : l) {
                if (v instanceof Number n) {
                    out.add(n.doubleValue());
                }
            }
        }
        if (out.isEmpty() && !Double.isNaN(median)) {
            out.add(median);
        }
        return List.copyOf(out);
    }
}
