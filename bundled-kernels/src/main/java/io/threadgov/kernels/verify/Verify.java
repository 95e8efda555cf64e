package io.threadgov.kernels.verify;

import io.threadgov.kernels.Checksum;
import io.threadgov.kernels.Kernel;
import io.threadgov.kernels.Kernels;
import io.threadgov.kernels.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code verify}, the entry point: runs every kernel's child JVMs and hands the results to table, JSON and page. */
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
     * usage or input not verify's JSON. {@code --json FILE} writes the results ({@link VerifyJson}),
     * {@code --html FILE} draws them as one page ({@link HtmlReport}); {@code --html FILE --from JSON} draws the
     * page from a stored {@code --json} output and runs nothing.
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

    /**
     * Every kernel in turn ({@link #kernel}) with a budget of --cores (else this machine's), then the table
     * ({@link VerifyTable}) on stdout and the files asked for; progress on stderr.
     */
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

        List<Verdict> rows = new ArrayList<>();
        for (String name : opt.kernels) {
            rows.add(kernel(name, agent, cores, common, work, timeout));
        }
        System.out.println(VerifyTable.render(rows, cores));
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
     * One kernel: none, the agent, each point of the {@link StaticGrid}, then --confirm rounds (3; quick 2) of the
     * agent and the grid's contenders ({@link Verdict#contenders}) again, and the {@link Verdict}.
     */
    private Verdict kernel(String name, Path agent, int cores, List<String> common, Path work, long timeout)
            throws IOException, InterruptedException {
        Kernel kernel = Kernels.byName(name).orElseThrow();
        Verdict v = new Verdict(name);
        v.none = child(name, Setting.none(), common, work, timeout);
        if (agent != null) {
            v.agent = child(name, agentSetting(agent, work, name + "-agent-report.json"), common, work, timeout);
        } else {
            v.agent = ChildRun.Outcome.failed(Setting.agent("?", null, null, null), "agent jar not found", null, null);
        }
        int ownInner = kernel.defaultInner(machineCores);
        for (Setting s : StaticGrid.points(cores, machineCores, kernel.minInner(), ownInner)) {
            v.grid.add(s == null ? StaticGrid.nonePoint(v.none, machineCores) : child(name, s, common, work, timeout));
        }
        v.pickBest();
        int rounds = opt.confirm != null ? opt.confirm : opt.quick ? 2 : 3;
        List<Setting> contenders = v.contenders();
        for (int r = 1; r <= rounds && !contenders.isEmpty() && v.agent.completed(); r++) {
            // alternated, so that a drift of the machine during the rounds falls on every side
            Setting agentAgain = agentSetting(agent, work, name + "-agent-r" + r + "-report.json");
            if (r % 2 == 1) {
                for (Setting c : contenders) {
                    v.staticRuns.add(child(name, c, common, work, timeout, r));
                }
                v.agentRuns.add(child(name, agentAgain, common, work, timeout, r));
            } else {
                v.agentRuns.add(child(name, agentAgain, common, work, timeout, r));
                for (int i = contenders.size() - 1; i >= 0; i--) {
                    v.staticRuns.add(child(name, contenders.get(i), common, work, timeout, r));
                }
            }
        }
        v.judge();
        return v;
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
}
