package io.threadgov.governor.jmx;

import io.threadgov.governor.Config;
import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import io.threadgov.governor.Mode;
import io.threadgov.governor.PoolDecision;
import io.threadgov.governor.SharePolicy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The implementation of {@link GovernorMXBean}: reads the governor, and applies a run-time budget or mode
 * change to the live pools it manages.
 *
 * <p>Regranting, after the configuration is replaced: live pools are visited parents first (by depth). A
 * pool's creator share is the budget for a top-level pool, else its parent's new worker share (computed
 * along the parent chain, also for parents already collected, without rewriting their records). Its new
 * grant is {@link SharePolicy#grant} with that share, never below what starvation relief already gave it.
 * The pool is then built to its grant when enforcing, to what the application asked for when observing;
 * only pools whose semantics survive a resize are touched. Finally the native generation is bumped so every
 * governed worker re-applies its (new) share at its next task.
 *
 * <p>Concurrency: changes are serialized on this object; each decision is rewritten under the governor's
 * lock ({@link Governor#regrant}); workers read decisions racily and catch up at their next task.
 */
public final class GovernorControl implements GovernorMXBean {

    private final Governor governor;
    private volatile String lastChange = "";

    public GovernorControl(Governor governor) {
        this.governor = governor;
    }

    @Override
    public int getBudget() {
        return governor.budget();
    }

    @Override
    public void setBudget(int cores) {
        if (cores < 1 || cores > Config.MAX_BUDGET) {
            throw new IllegalArgumentException("Budget " + cores + " is out of range: allowed 1 to " + Config.MAX_BUDGET);
        }
        applyBudget(cores, "JMX");
    }

    /**
     * Makes {@code cores} the budget, {@code source} its {@code budget_source} ("JMX", or "host" for host scope's
     * grant): live pools re-granted, native counts re-applied.
     */
    public synchronized void applyBudget(int cores, String source) {
        int old = governor.budget();
        governor.reconfigure(governor.config().withBudget(cores, source));
        try {
            governor.natives().budgetChanged(cores);
        } catch (Throwable t) {
            Log.failure("native budget change", t);
        }
        lastChange = "budget " + old + " -> " + cores + ": " + regrantLivePools();
        Log.info(lastChange);
    }

    @Override
    public String getBudgetSource() {
        return governor.config().budgetSource();
    }

    @Override
    public int getAvailableProcessors() {
        return governor.config().availableProcessors();
    }

    @Override
    public String getMode() {
        return governor.config().mode().key();
    }

    @Override
    public synchronized void setMode(String mode) {
        String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        Mode next;
        if (m.equals("enforce")) {
            next = Mode.ENFORCE;
        } else if (m.equals("observe")) {
            next = Mode.OBSERVE;
        } else if (m.equals("off")) {
            throw new IllegalArgumentException("Mode off can only be chosen at start (-Dthreadgov.mode=off);"
                    + " allowed at run time: enforce, observe");
        } else {
            throw new IllegalArgumentException("Mode '" + mode + "' is not allowed: allowed enforce, observe");
        }
        String old = getMode();
        governor.reconfigure(governor.config().withMode(next));
        lastChange = "mode " + old + " -> " + next.key() + ": " + regrantLivePools();
        Log.info(lastChange);
    }

    @Override
    public String getPoolsMode() {
        return governor.config().pools().key();
    }

    @Override
    public String getNativeMode() {
        return governor.config().nativeAuto() ? "auto" : "off";
    }

    @Override
    public long getPoolsTotal() {
        return governor.poolsTotal();
    }

    @Override
    public int getPoolsLive() {
        return governor.poolsLive();
    }

    @Override
    public int getBusyWorkers() {
        return governor.busyWorkers();
    }

    @Override
    public List<PoolInfo> getPools() {
        List<PoolInfo> out = new ArrayList<>();
        for (Live l : livePools()) {
            PoolDecision d = l.decision;
            out.add(new PoolInfo(d.id(), d.kind(), d.creator(), d.nested(), d.depth(),
                    d.parent() == null ? 0 : d.parent().id(), d.requested(), d.granted(), d.share(),
                    PoolResizer.sizeOf(l.pool), d.resizable(), d.semantics().key(), d.applied(), d.reliefSteps(),
                    d.demand().character().key(), d.demand().demand(), d.redecisionCount(),
                    d.decidedBy() == null ? "top-level" : d.decidedBy().key()));
        }
        return out;
    }

    @Override
    public List<NativeRuntimeInfo> getNativeRuntimes() {
        List<NativeRuntimeInfo> out = new ArrayList<>();
        try {
            for (Map<String, Object> r : governor.natives().records()) {
                out.add(NativeRuntimeInfo.of(r));
            }
        } catch (Throwable t) {
            Log.failure("native report", t);
        }
        return out;
    }

    @Override
    public String getLastChange() {
        return lastChange;
    }

    @Override
    public String getReportJson() {
        return governor.reportJson();
    }

    // ---------------------------------------------------------------- regranting

    /** A live pool and its decision. */
    private static final class Live {
        final Object pool;
        final PoolDecision decision;

        Live(Object pool, PoolDecision decision) {
            this.pool = pool;
            this.decision = decision;
        }
    }

    private List<Live> livePools() {
        List<Live> live = new ArrayList<>();
        governor.forEachPool((p, d) -> live.add(new Live(p, d)));
        live.sort(Comparator.comparingInt((Live l) -> l.decision.depth()).thenComparingLong(l -> l.decision.id()));
        return live;
    }

    /** Regrants and resizes every live pool; returns a one-line summary. */
    private String regrantLivePools() {
        Config c = governor.config();
        Map<PoolDecision, Integer> shares = new IdentityHashMap<>();
        int resized = 0;
        int unchanged = 0;
        int unsupported = 0;
        int failed = 0;
        for (Live l : livePools()) {
            PoolDecision d = l.decision;
            int creatorShare = creatorShare(d, c, shares);
            int granted = grant(d, c, creatorShare);
            governor.regrant(d, creatorShare, granted);
            shares.put(d, d.share());
            if (!d.resizable()) {
                continue;
            }
            int target = c.enforcing() ? granted : d.requested();
            PoolResizer.Outcome o;
            try {
                o = PoolResizer.resize(l.pool, target);
            } catch (Throwable t) {
                Log.failure("pool resize", t);
                o = PoolResizer.Outcome.FAILED;
            }
            switch (o) {
                case RESIZED: resized++; break;
                case UNCHANGED: unchanged++; break;
                case UNSUPPORTED: unsupported++; break;
                default: failed++; break;
            }
        }
        governor.bumpNativeGeneration();
        StringBuilder sb = new StringBuilder();
        sb.append(resized).append(" pools resized, ").append(unchanged).append(" unchanged");
        if (unsupported > 0) {
            sb.append(", ").append(unsupported).append(" ForkJoinPools cannot be resized on JDK ")
                    .append(Runtime.version().feature()).append(" (setParallelism needs JDK 19+)");
        }
        if (failed > 0) {
            sb.append(", ").append(failed).append(" failed");
        }
        return sb.toString();
    }

    /** The share of the thread that created {@code d}, under the new configuration. */
    private static int creatorShare(PoolDecision d, Config c, Map<PoolDecision, Integer> shares) {
        PoolDecision parent = d.parent();
        if (parent == null) {
            return c.budget();
        }
        Integer known = shares.get(parent);
        if (known == null) {
            // parent no longer live (or not visited): derive its share without rewriting its record
            int ps = creatorShare(parent, c, shares);
            known = SharePolicy.workerShare(ps, grant(parent, c, ps));
            shares.put(parent, known);
        }
        return known;
    }

    private static int grant(PoolDecision d, Config c, int creatorShare) {
        int g = SharePolicy.grant(c.pools(), d.nested(), d.resizable(), d.requested(), creatorShare);
        return d.reliefSteps() > 0 ? Math.max(g, Math.min(d.granted(), d.requested())) : g;
    }
}
