package io.threadgov.kernels.verify;

import io.threadgov.kernels.Checksum;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** verify's printed table, one line per kernel, and the legend under it (notes, reasons, phases). */
final class VerifyTable {
    private VerifyTable() {
    }

    /** The table and its legend for a budget of {@code cores}. */
    static String render(List<Verdict> rows, int cores) {
        String[] head = {"kernel", "ok", "peak threads none/agent", "ms none", "ms agent",
                "ms best static (its setting)", "agent/best", "none/agent"};
        List<String[]> cells = new ArrayList<>();
        for (Verdict r : rows) {
            cells.add(new String[] {
                r.kernel,
                r.ok ? "yes" : "NO",
                threads(r.none) + "/" + threads(r.agent),
                ms(r.noneMs()),
                ms(r.agentMs),
                r.best == null ? "-" : ms(r.bestMs) + " (" + r.best.setting().label() + ")",
                ratio(r.agentOverBest()),
                ratio(r.noneOverAgent())});
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
        legend(b, rows, cores);
        return b.toString();
    }

    private static void legend(StringBuilder b, List<Verdict> rows, int cores) {
        b.append("budget ").append(cores).append(" cores; times are medians of the timed repetitions in each child JVM"
                + " after warm-up; peak threads = OS threads of the child (/proc/self/task, native included).\n");
        int confirmations = rows.stream().mapToInt(r -> r.bestRuns.size()).max().orElse(0);
        if (confirmations > 0) {
            b.append("agent and best static: medians over child runs alternated after the grid (agent: ")
                    .append(confirmations + 1).append(" runs; best static: ").append(confirmations)
                    .append(" confirmation run").append(confirmations > 1 ? "s" : "")
                    .append(" of each of the grid's fastest point and the next one when within ")
                    .append(String.format(Locale.ROOT, "%.2f", Verdict.CONTENDER_MARGIN))
                    .append("x of it, the lower median shown; grid runs are not used: they won a race).\n");
        }
        b.append(String.format(Locale.ROOT, "checksums: every run of a kernel must agree (dgemm/OpenMP/integer"
                + " kernels bitwise; otherwise within relative %.0e).%n", Checksum.RELATIVE_TOLERANCE));
        for (Verdict r : rows) {
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
    }

    /** One line: kernel, ok, peak threads and the best setting left-aligned, the numbers right-aligned. */
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

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
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
