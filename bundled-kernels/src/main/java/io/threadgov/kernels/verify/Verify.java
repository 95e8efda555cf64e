package io.threadgov.kernels.verify;

import io.threadgov.kernels.Checksum;
import io.threadgov.kernels.Kernel;
import io.threadgov.kernels.KernelRunner;
import io.threadgov.kernels.Kernels;
import io.threadgov.kernels.Knobs;
import io.threadgov.kernels.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code verify}: every kernel in child JVMs, without the agent, with it, and at each point of a small
 * static grid (no agent); checks that all runs computed the same checksum; prints a table.
 *
 * <p>The grid, for a budget of C cores (--cores, else this machine's) and the kernels' default outer pool D =
 * max(8, 4 x machine cores): outer in {C, D} x inner in {max(1, kernel's minimum), C}, plus the kernel's own
 * inner default when it is not the cores ({@link Kernel#defaultInner}: io-fanout's 16). "inner" sets
 * OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, the common pool's parallelism and the size of pools the kernel
 * creates explicitly; when C is this machine's core count and the kernel's own default is the cores, inner = C
 * is the naive default and is left unset, and the point (D, C) is then the "none" run itself and is not run
 * twice. The best static setting is the
 * grid point whose confirmation runs are fastest: --confirm rounds (3; quick 2) run the agent and the grid's
 * contenders again, alternated (the fastest grid point and the next one when its grid run was within
 * {@value Row#CONTENDER_MARGIN}x of it: one grid run cannot tell two close points apart), and the reported
 * times are medians over those runs (see {@link Row}).
 *
 * <p>{@code --json FILE} writes the results ({@link VerifyJson}), {@code --html FILE} draws them as one page
 * ({@link HtmlReport}); {@code --html FILE --from JSON} draws the page from a stored {@code --json} output and runs
 * nothing.
 */
public final class Verify {
    private final VerifyOptions opt;
    private final String command;
    private final int machineCores = Runtime.getRuntime().availableProcessors();
    private final long t0 = System.nanoTime();
    private final ZonedDateTime started = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS);

    private Verify(VerifyOptions opt, String command) {
        this.opt = opt;
        this.command = command;
    }

    /**
     * Returns the process exit code: 0 all kernels ok, 1 some not ok, 2 usage; with --from: 0 page written, 2
     * usage or input not verify's JSON.
     */
    public static int main(String[] args) throws Exception {
        VerifyOptions o;
        try {
            o = VerifyOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("verify: " + e.getMessage());
            return 2;
        }
        if (o.from != null) {
            return HtmlReport.fromStored(o.from, o.html);
        }
        return new Verify(o, VerifyJson.commandLine(args)).run();
    }

    private int run() throws IOException, InterruptedException {
        int cores = opt.cores != null ? opt.cores : machineCores;
        long timeout = opt.timeoutSeconds != null ? opt.timeoutSeconds : opt.quick ? 40 : 300;
        Path agent = findAgent();
        Path work = opt.work != null ? opt.work
                : Path.of(System.getProperty("java.io.tmpdir"), "threadgov-verify-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(work);
        work = work.toAbsolutePath();
        List<String> common = new ArrayList<>(List.of("-XX:-UseDynamicNumberOfCompilerThreads",
                "-XX:-UseDynamicNumberOfGCThreads"));
        if (opt.quick) {
            common.add("-Dkernel.quick=true");
        }
        progress("budget " + cores + " cores (machine " + machineCores + "), " + (opt.quick ? "quick" : "full")
                + " sizes, per-run timeout " + timeout + " s");
        progress("agent: " + (agent != null ? agent : "NOT FOUND (use --agent PATH)")
                + (opt.agentArgs != null ? ", options " + opt.agentArgs : ""));
        progress("child output: " + work);
        List<String> scrubbed = ChildRun.SCRUBBED_ENV.stream().filter(k -> System.getenv(k) != null).toList();
        if (!scrubbed.isEmpty()) {
            progress("removed from the children's environment (the naive app sets none): " + scrubbed);
        }

        List<Row> rows = new ArrayList<>();
        for (String name : opt.kernels) {
            Kernel kernel = Kernels.byName(name).orElseThrow();
            Row row = new Row(name);
            row.none = child(name, Setting.none(), common, work, timeout);
            if (agent != null) {
                row.agent = child(name, agentSetting(agent, work, name + "-agent-report.json"), common, work, timeout);
            } else {
                row.agent = ChildRun.Outcome.failed(Setting.agent("?", null, null, null), "agent jar not found", null, null);
            }
            for (Setting s : grid(cores, machineCores, kernel.minInner(), kernel.defaultInner(machineCores))) {
                if (s == null) {
                    ChildRun.Outcome n = row.none;
                    Setting same = new Setting("static", "outer=" + Knobs.defaultOuter(machineCores)
                            + " inner=default (=none)", Map.of(), List.of());
                    row.grid.add(new ChildRun.Outcome(same, n.completed(), n.reason(), n.checksum(), n.exact(), n.ms(),
                            n.peakThreads(), n.peakJavaThreads(), n.phases(), n.stdout(), n.stderr()));
                } else {
                    row.grid.add(child(name, s, common, work, timeout));
                }
            }
            row.pickBest();
            int rounds = opt.confirm != null ? opt.confirm : opt.quick ? 2 : 3;
            List<Setting> contenders = row.contenders();
            for (int r = 1; r <= rounds && !contenders.isEmpty() && row.agent.completed(); r++) {
                // alternated, so that a drift of the machine during the rounds falls on every side
                Setting agentAgain = agentSetting(agent, work, name + "-agent-r" + r + "-report.json");
                if (r % 2 == 1) {
                    for (Setting c : contenders) {
                        row.staticRuns.add(child(name, c, common, work, timeout, r));
                    }
                    row.agentRuns.add(child(name, agentAgain, common, work, timeout, r));
                } else {
                    row.agentRuns.add(child(name, agentAgain, common, work, timeout, r));
                    for (int i = contenders.size() - 1; i >= 0; i--) {
                        row.staticRuns.add(child(name, contenders.get(i), common, work, timeout, r));
                    }
                }
            }
            row.judge();
            rows.add(row);
        }
        String table = table(rows, cores);
        System.out.println(table);
        VerifyJson.Run about = new VerifyJson.Run(started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                VerifyJson.cpuModel(), command, System.getProperty("java.runtime.version"), cores, machineCores,
                opt.quick, agent == null ? null : agent.toString(), opt.agentArgs, Checksum.RELATIVE_TOLERANCE);
        String json = VerifyJson.write(about, rows);
        if (opt.json != null) {
            VerifyJson.writeFile(opt.json, json);
            progress("wrote " + opt.json.toAbsolutePath());
        }
        if (opt.html != null) {
            VerifyJson.writeFile(opt.html, HtmlReport.render(VerifyJson.read(json), null));
            progress("wrote " + opt.html.toAbsolutePath());
        }
        progress(String.format(Locale.ROOT, "done in %.0f s; child output in %s", elapsed(), work));
        return rows.stream().allMatch(r -> r.ok) ? 0 : 1;
    }

    /**
     * Grid points for a budget of {@code cores} on a machine of {@code machineCores}; null stands for the point
     * identical to the "none" run. outer in {cores, D} x inner in {max(1, minInner), max(cores, minInner)},
     * plus inner = {@code ownInner} (at least minInner) when the kernel's own pools are not sized by the cores
     * (io-fanout: 16, one thread per blocking call). inner = cores is left unset (the naive default) only when
     * it is what the naive app does everywhere: cores is the machine's and the kernel's own pools default to it.
     */
    static List<Setting> grid(int cores, int machineCores, int minInner, int ownInner) {
        int dflt = Knobs.defaultOuter(machineCores);
        Set<Integer> outers = new LinkedHashSet<>(List.of(cores, dflt));
        Set<Integer> inners = new LinkedHashSet<>(List.of(Math.max(1, minInner), Math.max(cores, minInner)));
        boolean ownIsCores = ownInner == machineCores;
        if (!ownIsCores) {
            inners.add(Math.max(ownInner, minInner));
        }
        List<Setting> out = new ArrayList<>();
        for (int o : outers) {
            for (int i : inners) {
                boolean naiveInner = i == machineCores && cores == machineCores && ownIsCores;
                if (naiveInner && o == dflt) {
                    out.add(null);
                } else {
                    out.add(Setting.fixed(o, naiveInner ? null : i));
                }
            }
        }
        return out;
    }

    /** The agent run's setting, its report written to {@code reportName} in the work directory. */
    private Setting agentSetting(Path agent, Path work, String reportName) {
        return Setting.agent(agent.toString(), opt.agentArgs, opt.cores, work.resolve(reportName).toString());
    }

    private ChildRun.Outcome child(String kernel, Setting s, List<String> common, Path work, long timeout)
            throws IOException, InterruptedException {
        return child(kernel, s, common, work, timeout, 0);
    }

    /** One child run; {@code round} > 0 is a confirmation round (its own files, shown in the progress). */
    private ChildRun.Outcome child(String kernel, Setting s, List<String> common, Path work, long timeout, int round)
            throws IOException, InterruptedException {
        String label = s.label() + (round > 0 ? ", confirmation " + round : "");
        progress(kernel + " [" + label + "] ...");
        ChildRun.Outcome o = ChildRun.run(kernel, s, common, work, timeout, round > 0 ? "-r" + round : "");
        if (o.completed()) {
            progress(String.format(Locale.ROOT, "%s [%s] %.1f ms, peak %d threads (%d Java), checksum %s",
                    kernel, label, o.ms(), o.peakThreads(), o.peakJavaThreads(), o.checksum()));
        } else {
            progress(kernel + " [" + label + "] FAILED: " + o.reason());
        }
        return o;
    }

    private Path findAgent() {
        if (opt.agent != null) {
            return Files.isRegularFile(opt.agent) ? opt.agent.toAbsolutePath() : null;
        }
        Path cwd = Path.of("agent", "target", "threadgov-agent.jar");
        if (Files.isRegularFile(cwd)) {
            return cwd.toAbsolutePath();
        }
        try {
            Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path rel = self.getParent().resolve("../../agent/target/threadgov-agent.jar").normalize();
            if (Files.isRegularFile(rel)) {
                return rel;
            }
        } catch (Exception ignored) {
            // not from a file: no fallback
        }
        return null;
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private void progress(String line) {
        System.err.printf(Locale.ROOT, "[verify %4.0fs] %s%n", elapsed(), line);
    }

    /**
     * One kernel's runs and verdict.
     *
     * <p>The reported times of the agent and of the best static setting are medians over several child runs:
     * the agent's first run and its confirmation runs; for the static side, the confirmation runs of each
     * contender (the fastest grid point, and the next fastest when its grid run took at most
     * {@value #CONTENDER_MARGIN} times as long), not the grid runs that picked them. A grid run won a race
     * against the other points, so its time is biased low, and one run of either side moves the ratio by
     * several % on a shared machine: on a 2-core VM, a grid run of unbalanced at outer=8 came out faster than
     * the one at outer=2, whose confirmation runs were then the faster ones (BENCHMARKS.md, History,
     * 2026-12-02 032ace2..3000a57 and 2026-12-02 6f50c46..f19258a). The best static setting is the
     * contender with the lowest confirmation median. With no confirmation rounds (--confirm 0) every time is a single run and the
     * fastest grid point is the best.
     */
    static final class Row {
        /** A grid point within this factor of the fastest one's grid time is confirmed too. */
        static final double CONTENDER_MARGIN = 1.25;
        /** Most grid points confirmed. */
        static final int MAX_CONTENDERS = 2;

        final String kernel;
        ChildRun.Outcome none;
        ChildRun.Outcome agent;
        final List<ChildRun.Outcome> grid = new ArrayList<>();
        final List<ChildRun.Outcome> agentRuns = new ArrayList<>();
        /** The confirmation runs of every contender, in the order they ran. */
        final List<ChildRun.Outcome> staticRuns = new ArrayList<>();
        /** The best setting's confirmation runs (set by {@link #pickBest}). */
        List<ChildRun.Outcome> bestRuns = List.of();
        ChildRun.Outcome best;
        double agentMs = Double.NaN;
        double bestMs = Double.NaN;
        boolean ok;
        boolean bitwise;
        final List<String> reasons = new ArrayList<>();

        Row(String kernel) {
            this.kernel = kernel;
        }

        /**
         * The grid points to confirm: the fastest that completed, then the next fastest when within
         * {@link #CONTENDER_MARGIN} of it, at most {@link #MAX_CONTENDERS}.
         */
        List<Setting> contenders() {
            List<ChildRun.Outcome> done = new ArrayList<>(grid.stream().filter(ChildRun.Outcome::completed).toList());
            done.sort(java.util.Comparator.comparingDouble(ChildRun.Outcome::ms));
            List<Setting> out = new ArrayList<>();
            for (ChildRun.Outcome o : done) {
                if (out.size() == MAX_CONTENDERS || o.ms() > done.get(0).ms() * CONTENDER_MARGIN) {
                    break;
                }
                out.add(o.setting());
            }
            return out;
        }

        /**
         * The best static point: the fastest grid point, or, once contenders were confirmed, the one whose
         * confirmation runs have the lowest median; sets {@link #best}, {@link #bestRuns} and {@link #bestMs}.
         */
        void pickBest() {
            best = null;
            bestRuns = List.of();
            bestMs = Double.NaN;
            for (ChildRun.Outcome o : grid) {
                if (o.completed() && (best == null || o.ms() < best.ms())) {
                    best = o;
                }
            }
            Map<String, List<ChildRun.Outcome>> confirmed = confirmations();
            if (best == null || confirmed.isEmpty()) {
                bestMs = best == null ? Double.NaN : best.ms();
                return;
            }
            for (ChildRun.Outcome o : grid) {
                double m = median(confirmed.getOrDefault(o.setting().label(), List.of()));
                if (!Double.isNaN(m) && (Double.isNaN(bestMs) || m < bestMs)) {
                    best = o;
                    bestRuns = confirmed.get(o.setting().label());
                    bestMs = m;
                }
            }
        }

        /** The contenders' confirmation runs by setting label, in the order the settings first ran. */
        Map<String, List<ChildRun.Outcome>> confirmations() {
            Map<String, List<ChildRun.Outcome>> out = new java.util.LinkedHashMap<>();
            for (ChildRun.Outcome o : staticRuns) {
                out.computeIfAbsent(o.setting().label(), l -> new ArrayList<>()).add(o);
            }
            return out;
        }

        void judge() {
            List<ChildRun.Outcome> all = new ArrayList<>();
            all.add(none);
            all.add(agent);
            all.addAll(grid);
            all.addAll(agentRuns);
            all.addAll(staticRuns);
            ChildRun.Outcome ref = null;
            bitwise = true;
            for (ChildRun.Outcome o : all) {
                if (!o.completed()) {
                    if (!reasons.contains(o.setting().label() + ": " + o.reason())) {
                        reasons.add(o.setting().label() + ": " + o.reason());
                    }
                    continue;
                }
                if (ref == null) {
                    ref = o;
                    continue;
                }
                if (!o.checksum().equals(ref.checksum())) {
                    bitwise = false;
                }
                if (!Checksum.agree(ref.checksum(), ref.exact(), o.checksum(), o.exact())) {
                    reasons.add(o.setting().label() + ": checksum " + o.checksum() + " != " + ref.checksum()
                            + " (" + ref.setting().label() + ")");
                }
            }
            pickBest();
            List<ChildRun.Outcome> agents = new ArrayList<>();
            agents.add(agent);
            agents.addAll(agentRuns);
            agentMs = median(agents);
            ok = reasons.isEmpty() && none.completed() && agent.completed() && best != null
                    && !Double.isNaN(agentMs) && !Double.isNaN(bestMs);
        }

        /** The median time of the runs that completed; NaN when none did. */
        static double median(List<ChildRun.Outcome> runs) {
            return KernelRunner.median(runs.stream().filter(ChildRun.Outcome::completed).map(ChildRun.Outcome::ms).toList());
        }
    }

    private static String table(List<Row> rows, int cores) {
        String[] head = {"kernel", "ok", "peak threads none/agent", "ms none", "ms agent",
                "ms best static (its setting)", "agent/best", "none/agent"};
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows) {
            cells.add(new String[] {
                r.kernel,
                r.ok ? "yes" : "NO",
                threads(r.none) + "/" + threads(r.agent),
                ms(r.none),
                ms(r.agentMs),
                r.best == null ? "-" : ms(r.bestMs) + " (" + r.best.setting().label() + ")",
                ratio(r.agentMs, r.bestMs),
                ratio(r.none.completed() ? r.none.ms() : Double.NaN, r.agentMs)});
        }
        int[] w = new int[head.length];
        for (int c = 0; c < head.length; c++) {
            w[c] = head[c].length();
            for (String[] row : cells) {
                w[c] = Math.max(w[c], row[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, head, w);
        StringBuilder sep = new StringBuilder();
        for (int c = 0; c < w.length; c++) {
            sep.append(c == 0 ? "" : "-|-").append("-".repeat(w[c]));
        }
        b.append(sep).append('\n');
        for (String[] row : cells) {
            line(b, row, w);
        }
        b.append('\n');
        b.append("budget ").append(cores).append(" cores; times are medians of the timed repetitions in each child JVM"
                + " after warm-up; peak threads = OS threads of the child (/proc/self/task, native included).\n");
        int confirmations = rows.stream().mapToInt(r -> r.bestRuns.size()).max().orElse(0);
        if (confirmations > 0) {
            b.append("agent and best static: medians over child runs alternated after the grid (agent: ")
                    .append(confirmations + 1).append(" runs; best static: ").append(confirmations)
                    .append(" confirmation run").append(confirmations > 1 ? "s" : "")
                    .append(" of each of the grid's fastest point and the next one when within ")
                    .append(String.format(Locale.ROOT, "%.2f", Row.CONTENDER_MARGIN))
                    .append("x of it, the lower median shown; grid runs are not used: they won a race).\n");
        }
        b.append(String.format(Locale.ROOT, "checksums: every run of a kernel must agree (dgemm/OpenMP/integer"
                + " kernels bitwise; otherwise within relative %.0e).%n", Checksum.RELATIVE_TOLERANCE));
        for (Row r : rows) {
            if (!r.bitwise && r.reasons.isEmpty()) {
                b.append(r.kernel).append(": checksums agree within tolerance, not bitwise\n");
            }
            for (String reason : r.reasons) {
                b.append(r.kernel).append(" NOT OK: ").append(reason).append('\n');
            }
            if (!r.none.phases().isEmpty()) {
                b.append(r.kernel).append(" phases (ms): none ").append(phases(r.none)).append("; agent ")
                        .append(phases(r.agent)).append("; best static ").append(r.best == null ? "-" : phases(r.best))
                        .append('\n');
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String[] cells, int[] w) {
        for (int c = 0; c < cells.length; c++) {
            String v = cells[c];
            b.append(c == 0 ? "" : " | ");
            b.append(c == 0 || c == 1 || c == 2 || c == 5 ? pad(v, w[c]) : padLeft(v, w[c]));
        }
        b.append('\n');
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }

    private static String threads(ChildRun.Outcome o) {
        return o != null && o.completed() ? Integer.toString(o.peakThreads()) : "-";
    }

    private static String ms(ChildRun.Outcome o) {
        return o != null && o.completed() ? ms(o.ms()) : "-";
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double num, double den) {
        if (Double.isNaN(num) || Double.isNaN(den) || den <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", num / den);
    }

    private static String phases(ChildRun.Outcome o) {
        if (o == null || !o.completed()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : o.phases().entrySet()) {
            b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=')
                    .append(e.getValue() instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue()) : "?");
        }
        return b.toString();
    }
}
