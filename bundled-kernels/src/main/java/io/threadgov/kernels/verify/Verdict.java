package io.threadgov.kernels.verify;

import io.threadgov.kernels.Checksum;
import io.threadgov.kernels.KernelRunner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One kernel's runs and what they decide: the reported medians, the best static setting, the ratios, ok or not. */
final class Verdict {
    /**
     * A grid point within this factor of the fastest one's grid time is confirmed too: one grid run cannot tell
     * two close points apart (BENCHMARKS.md, History, 2026-12-02 6f50c46..f19258a).
     */
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
    /** The median of the agent's first run and its confirmation runs (set by {@link #judge}). */
    double agentMs = Double.NaN;
    /** The best setting's confirmation median, its single grid run without confirmation rounds. */
    double bestMs = Double.NaN;
    boolean ok;
    boolean bitwise;
    final List<String> reasons = new ArrayList<>();

    Verdict(String kernel) {
        this.kernel = kernel;
    }

    /**
     * The grid points to confirm: the fastest that completed, then the next fastest when within
     * {@link #CONTENDER_MARGIN} of it, at most {@link #MAX_CONTENDERS}.
     */
    List<Setting> contenders() {
        List<ChildRun.Outcome> done = new ArrayList<>(grid.stream().filter(ChildRun.Outcome::completed).toList());
        done.sort(Comparator.comparingDouble(ChildRun.Outcome::ms));
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
     * The grid runs that picked the contenders give no time: a grid run won a race against the other points,
     * so its time is biased low, and a single run of either side moves the ratio on a shared machine
     * (BENCHMARKS.md, History, 2026-12-02 032ace2..3000a57). With no confirmation rounds (--confirm 0) every
     * time is a single run and the fastest grid point is the best.
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
        Map<String, List<ChildRun.Outcome>> out = new LinkedHashMap<>();
        for (ChildRun.Outcome o : staticRuns) {
            out.computeIfAbsent(o.setting().label(), l -> new ArrayList<>()).add(o);
        }
        return out;
    }

    /**
     * Once every run is in: ok when every run completed, every checksum agrees with the first completed run's
     * (confirmation runs included) and both the agent's and the best static time exist; sets the medians.
     */
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

    /** The none run's time; NaN when it failed. */
    double noneMs() {
        return none.completed() ? none.ms() : Double.NaN;
    }

    /** agent/best static: below 1 the agent beat every static setting tried; NaN without both times. */
    double agentOverBest() {
        return ratio(agentMs, bestMs);
    }

    /** none/agent: above 1 the agent is faster than the naive app; NaN without both times. */
    double noneOverAgent() {
        return ratio(noneMs(), agentMs);
    }

    private static double ratio(double num, double den) {
        return Double.isNaN(num) || Double.isNaN(den) || den <= 0 ? Double.NaN : num / den;
    }

    /** The median time of the runs that completed; NaN when none did. */
    static double median(List<ChildRun.Outcome> runs) {
        return KernelRunner.median(runs.stream().filter(ChildRun.Outcome::completed).map(ChildRun.Outcome::ms).toList());
    }
}
