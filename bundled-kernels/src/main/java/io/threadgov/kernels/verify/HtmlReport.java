package io.threadgov.kernels.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code verify --html FILE}: the results as one self-contained HTML page, inline CSS and inline SVG, no script
 * and nothing loaded from elsewhere. A header (date, budget, machine, command), a summary table, and per kernel
 * a horizontal bar chart of the none, agent and best static medians, each with a whisker from the fastest to
 * the slowest child run behind it, the peak thread counts and the verdict. Drawn from {@link VerifyJson.Results},
 * so a run's own page and one drawn later with {@code --from JSON} are the same. Every string from the results
 * is escaped.
 */
final class HtmlReport {
    static final String NONE_COLOUR = "#8c8c8c";
    static final String AGENT_COLOUR = "#1f6fb4";
    static final String BEST_COLOUR = "#e07b00";

    private static final int WIDTH = 1000;
    private static final int LABEL_W = 110;
    private static final int PLOT_W = 520;
    private static final int ROW_H = 42;
    private static final int BAR_H = 22;
    private static final int TOP = 6;

    private HtmlReport() {
    }

    /** {@code --html FILE --from JSON}: returns the exit code, 0 page written, 2 input unreadable or not verify's. */
    static int fromStored(Path from, Path html) {
        VerifyJson.Results results;
        try {
            results = VerifyJson.read(from);
        } catch (IOException e) {
            System.err.println("verify: --from: cannot read '" + from + "': " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            System.err.println("verify: --from '" + from + "' is not a file written by verify --json FILE ("
                    + e.getMessage() + ")");
            return 2;
        }
        try {
            VerifyJson.writeFile(html, render(results, from.toString()));
        } catch (IOException e) {
            System.err.println("verify: --html: cannot write '" + html + "': " + e.getMessage());
            return 2;
        }
        System.out.println("wrote " + html.toAbsolutePath() + " (" + results.kernels().size() + " kernels, from "
                + from.toAbsolutePath() + ")");
        return 0;
    }

    /** The page; {@code source} is the JSON file it is drawn from, null when drawn by the run itself. */
    static String render(VerifyJson.Results results, String source) {
        VerifyJson.Run run = results.run();
        List<VerifyJson.Kernel> kernels = results.kernels();
        long ok = kernels.stream().filter(VerifyJson.Kernel::ok).count();
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>threadgov verify ").append(esc(orDash(run.date()))).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");

        b.append("<h1>threadgov verify</h1>\n<table class=\"about\">\n");
        about(b, "date", esc(orDash(run.date())));
        about(b, "budget", run.cores() > 0 ? esc(run.cores() + " cores") + " (machine: "
                + esc(run.machineCores() > 0 ? run.machineCores() + " cores" : "-") + "), "
                + (run.quick() ? "quick" : "full") + " sizes" : "-");
        about(b, "machine", esc(run.cpuModel() == null ? "CPU model not recorded" : run.cpuModel())
                + (run.javaVersion() == null ? "" : ", Java " + esc(run.javaVersion())));
        about(b, "agent", run.agent() == null ? "not found" : "<code>" + esc(run.agent()) + "</code>"
                + (run.agentArgs() == null ? "" : ", options <code>" + esc(run.agentArgs()) + "</code>"));
        about(b, "command", run.command() == null ? "not recorded" : "<code>" + esc(run.command()) + "</code>");
        if (source != null) {
            about(b, "drawn from", "<code>" + esc(source) + "</code>");
        }
        about(b, "verdict", "<span class=\"" + (ok == kernels.size() ? "ok" : "notok") + "\">" + ok + " of "
                + kernels.size() + " kernels ok</span>");
        b.append("</table>\n");

        summary(b, kernels);
        b.append("<p class=\"legend\"><span class=\"sw\" style=\"background:").append(NONE_COLOUR)
                .append("\"></span>none (the naive app) <span class=\"sw\" style=\"background:").append(AGENT_COLOUR)
                .append("\"></span>agent <span class=\"sw\" style=\"background:").append(BEST_COLOUR)
                .append("\"></span>best static setting; bar: median, whisker: fastest to slowest child run behind it"
                        + " (shorter is faster)</p>\n");
        for (int i = 0; i < kernels.size(); i++) {
            kernel(b, kernels.get(i), i + 1);
        }
        b.append("<p class=\"notes\">Times are medians of the timed repetitions inside each child JVM after warm-up."
                + " The agent's time is the median over its first run and its confirmation runs, the best static"
                + " setting's the median over its confirmation runs (its single grid run without confirmation"
                + " rounds); none is one child run. Peak threads: OS threads of the child (/proc/self/task, native"
                + " included); for the best static setting, its grid run. agent/best static below 1: the agent beat"
                + " every static setting tried; none/agent above 1: the agent is faster than the naive app. A"
                + " kernel is ok when every run completed and all runs computed the same checksum");
        if (!Double.isNaN(run.relativeTolerance())) {
            b.append(" (bitwise, or within a relative ").append(esc(String.format(Locale.ROOT, "%.0e",
                    run.relativeTolerance()))).append(" for checksums marked inexact)");
        }
        b.append(". Written by <code>threadgov-kernels.jar verify --html</code>: no script, nothing loaded from"
                + " elsewhere.</p>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void about(StringBuilder b, String what, String html) {
        b.append("<tr><th>").append(what).append("</th><td>").append(html).append("</td></tr>\n");
    }

    private static void summary(StringBuilder b, List<VerifyJson.Kernel> kernels) {
        b.append("<table class=\"summary\">\n<tr><th class=\"l\">kernel</th><th class=\"l\">ok</th>"
                + "<th>ms none</th><th>ms agent</th><th>ms best static</th><th class=\"l\">best static setting</th>"
                + "<th>agent/best</th><th>none/agent</th><th>peak threads none / agent / best</th></tr>\n");
        for (int i = 0; i < kernels.size(); i++) {
            VerifyJson.Kernel k = kernels.get(i);
            b.append("<tr><td class=\"l\"><a href=\"#k").append(i + 1).append("\">").append(esc(k.kernel()))
                    .append("</a></td><td class=\"l ").append(k.ok() ? "ok\">yes" : "notok\">NO")
                    .append("</td><td>").append(ms(k.noneMs())).append("</td><td>").append(ms(k.agentMs()))
                    .append("</td><td>").append(ms(k.bestMs())).append("</td><td class=\"l\">")
                    .append(esc(orDash(k.bestSetting()))).append("</td><td>").append(ratio(k.agentMs(), k.bestMs()))
                    .append("</td><td>").append(ratio(k.noneMs(), k.agentMs())).append("</td><td>")
                    .append(peak(k.peakNone())).append(" / ").append(peak(k.peakAgent())).append(" / ")
                    .append(peak(k.peakBest())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void kernel(StringBuilder b, VerifyJson.Kernel k, int index) {
        b.append("<section class=\"kernel\" id=\"k").append(index).append("\">\n<h2>").append(esc(k.kernel()))
                .append(" <span class=\"").append(k.ok() ? "ok\">ok" : "notok\">NOT OK").append("</span></h2>\n");
        String[] labels = {"none", "agent", "best static"};
        String[] colours = {NONE_COLOUR, AGENT_COLOUR, BEST_COLOUR};
        double[] medians = {k.noneMs(), k.agentMs(), k.bestMs()};
        List<List<Double>> runs = List.of(k.noneRuns(), k.agentRuns(), k.bestRuns());
        int[] peaks = {k.peakNone(), k.peakAgent(), k.peakBest()};
        double top = 0;
        for (int s = 0; s < 3; s++) {
            if (!Double.isNaN(medians[s])) {
                top = Math.max(top, medians[s]);
            }
            for (double v : runs.get(s)) {
                top = Math.max(top, v);
            }
        }
        top *= 1.03;   // a little room after the longest bar or whisker
        double step = niceStep(top > 0 ? top / 5 : 1);
        double axisMax = Math.max(step, Math.ceil(top / step) * step);
        int axisY = TOP + 3 * ROW_H;
        int height = axisY + 22;
        b.append("<svg class=\"chart\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(esc(k.kernel())).append(": none ")
                .append(ms(k.noneMs())).append(" ms, agent ").append(ms(k.agentMs())).append(" ms, best static ")
                .append(ms(k.bestMs())).append(" ms\">\n");
        for (double t = 0; t <= axisMax + step / 1e6; t += step) {
            double x = LABEL_W + t / axisMax * PLOT_W;
            b.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(TOP - 2).append("\" x2=\"").append(f(x))
                    .append("\" y2=\"").append(axisY + 4).append("\" stroke=\"#e2e2e2\"/>")
                    .append("<text x=\"").append(f(x)).append("\" y=\"").append(axisY + 17)
                    .append("\" text-anchor=\"middle\" class=\"tick\">").append(tick(t)).append("</text>\n");
        }
        b.append("<line x1=\"").append(LABEL_W).append("\" y1=\"").append(axisY).append("\" x2=\"")
                .append(LABEL_W + PLOT_W).append("\" y2=\"").append(axisY).append("\" stroke=\"#666\"/>")
                .append("<text x=\"").append(LABEL_W + PLOT_W + 16).append("\" y=\"").append(axisY + 17)
                .append("\" class=\"tick\">ms</text>\n");
        for (int s = 0; s < 3; s++) {
            int y = TOP + s * ROW_H + (ROW_H - BAR_H) / 2 - 2;
            int mid = y + BAR_H / 2;
            b.append("<text x=\"").append(LABEL_W - 8).append("\" y=\"").append(mid + 4)
                    .append("\" text-anchor=\"end\" class=\"side\">").append(labels[s]).append("</text>\n");
            List<Double> r = runs.get(s);
            if (Double.isNaN(medians[s])) {
                b.append("<text x=\"").append(LABEL_W + 6).append("\" y=\"").append(mid + 4)
                        .append("\" class=\"failed\">no result (failed or not run)</text>\n");
                continue;
            }
            double min = r.isEmpty() ? medians[s] : Collections.min(r);
            double max = r.isEmpty() ? medians[s] : Collections.max(r);
            b.append("<rect x=\"").append(LABEL_W).append("\" y=\"").append(y).append("\" width=\"")
                    .append(f(Math.max(1, medians[s] / axisMax * PLOT_W))).append("\" height=\"").append(BAR_H)
                    .append("\" fill=\"").append(colours[s]).append("\"><title>").append(labels[s]).append(": median ")
                    .append(ms(medians[s])).append(" ms over ").append(r.size()).append(r.size() == 1 ? " run" : " runs")
                    .append(", ").append(ms(min)).append("..").append(ms(max)).append(" ms</title></rect>\n");
            if (r.size() > 1) {
                double x1 = LABEL_W + min / axisMax * PLOT_W;
                double x2 = LABEL_W + max / axisMax * PLOT_W;
                b.append("<g stroke=\"#222\" stroke-width=\"1.5\"><line x1=\"").append(f(x1)).append("\" y1=\"")
                        .append(mid).append("\" x2=\"").append(f(x2)).append("\" y2=\"").append(mid)
                        .append("\"/><line x1=\"").append(f(x1)).append("\" y1=\"").append(mid - 7).append("\" x2=\"")
                        .append(f(x1)).append("\" y2=\"").append(mid + 7).append("\"/><line x1=\"").append(f(x2))
                        .append("\" y1=\"").append(mid - 7).append("\" x2=\"").append(f(x2)).append("\" y2=\"")
                        .append(mid + 7).append("\"/></g>\n");
            }
            int tx = LABEL_W + PLOT_W + 36;
            b.append("<text x=\"").append(tx).append("\" y=\"").append(mid - 2).append("\" class=\"value\">")
                    .append("<tspan font-weight=\"bold\">").append(ms(medians[s])).append(" ms</tspan> (")
                    .append(r.size()).append(r.size() == 1 ? " run" : " runs");
            if (r.size() > 1) {
                b.append(": ").append(ms(min)).append("..").append(ms(max)).append(" ms");
            }
            b.append(")</text>\n<text x=\"").append(tx).append("\" y=\"").append(mid + 13).append("\" class=\"detail\">")
                    .append("peak ").append(peak(peaks[s])).append(" threads");
            if (s == 2 && k.bestSetting() != null) {
                b.append(" &#183; ").append(esc(k.bestSetting()));
            }
            b.append("</text>\n");
        }
        b.append("</svg>\n<p class=\"verdict\"><span class=\"").append(k.ok() ? "ok\">ok" : "notok\">NOT OK")
                .append("</span> &#183; agent/best static <b>").append(ratio(k.agentMs(), k.bestMs()))
                .append("</b> &#183; none/agent <b>").append(ratio(k.noneMs(), k.agentMs()))
                .append("</b> &#183; peak threads none ").append(peak(k.peakNone())).append(", agent ")
                .append(peak(k.peakAgent())).append(", best static ").append(peak(k.peakBest()))
                .append(" &#183; checksums ").append(k.bitwise() ? "bitwise equal" : "within tolerance, not bitwise")
                .append("</p>\n");
        if (!k.reasons().isEmpty()) {
            b.append("<ul class=\"reasons\">\n");
            for (String reason : k.reasons()) {
                b.append("<li>").append(esc(reason)).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        b.append("</section>\n");
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String tick(double t) {
        return java.math.BigDecimal.valueOf(Math.round(t * 1000) / 1000.0).stripTrailingZeros().toPlainString();
    }

    /** HTML-escapes text for element content and double- or single-quoted attributes. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double num, double den) {
        return Double.isNaN(num) || Double.isNaN(den) || den <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", num / den);
    }

    private static String peak(int n) {
        return n < 0 ? "-" : Integer.toString(n);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static final String CSS = """
            body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 14px;
                   color: #1d1d1d; background: #fff; margin: 20px 24px; max-width: 1040px; }
            h1 { font-size: 22px; margin: 0 0 10px; }
            h2 { font-size: 17px; margin: 0 0 4px; }
            table.about th { text-align: left; padding: 1px 14px 1px 0; color: #555; font-weight: normal;
                             vertical-align: top; white-space: nowrap; }
            table.about td { padding: 1px 0; }
            code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px;
                   word-break: break-all; }
            table.summary { border-collapse: collapse; margin: 14px 0 8px; }
            table.summary th, table.summary td { border: 1px solid #d0d0d0; padding: 3px 8px; text-align: right; }
            table.summary th { background: #f3f3f3; font-weight: 600; }
            table.summary .l { text-align: left; }
            table.summary td.l { white-space: nowrap; }
            a { color: #1f4f8c; }
            .ok { color: #17803a; font-weight: bold; }
            .notok { color: #c0261f; font-weight: bold; }
            .legend { color: #444; }
            .sw { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
            section.kernel { border-top: 1px solid #ddd; margin-top: 14px; padding-top: 8px; }
            svg.chart { display: block; max-width: 100%; height: auto; }
            svg.chart text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 12px;
                             fill: #1d1d1d; }
            svg.chart text.side { font-size: 13px; }
            svg.chart text.tick { fill: #666; font-size: 11px; }
            svg.chart text.detail { fill: #555; font-size: 11px; }
            svg.chart text.failed { fill: #c0261f; }
            p.verdict { margin: 2px 0 4px; }
            ul.reasons { color: #c0261f; margin: 2px 0 4px; }
            p.notes { color: #555; font-size: 12px; border-top: 1px solid #ddd; padding-top: 8px; margin-top: 18px; }
            """;
}
