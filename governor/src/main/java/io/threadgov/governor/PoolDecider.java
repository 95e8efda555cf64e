package io.threadgov.governor;

import io.threadgov.governor.relief.StarvationRelief;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides a new pool on its creating thread (its grant by {@link SharePolicy}, or its creation site's demand) and
 * records it once built: in the registry, under CPU admission or starvation relief where that applies, as an event.
 * Later changes of a live pool's grant are {@link DemandDecider}'s, relief's and the MXBean's.
 */
final class PoolDecider {

    private final Governor governor;
    private final PoolRegistry registry;
    private final StarvationRelief relief;
    private final CpuAdmission admission;
    private final DemandDecider demand;
    private final SubmissionWatch submissions;
    private final AtomicLong ids = new AtomicLong();

    PoolDecider(Governor governor, PoolRegistry registry, StarvationRelief relief, CpuAdmission admission,
                DemandDecider demand, SubmissionWatch submissions) {
        this.governor = governor;
        this.registry = registry;
        this.relief = relief;
        this.admission = admission;
        this.demand = demand;
        this.submissions = submissions;
    }

    /**
     * Decides a pool of {@code semantics} asking for {@code requested}, created by the current thread, whose worker
     * state is {@code ws} (null: it works for no governed pool).
     */
    PoolDecision decide(PoolDecision.Family family, int requested, PoolSemantics semantics, WorkerState ws) {
        Config c = governor.config();
        boolean resizable = SharePolicy.resizable(semantics);
        CreatorFinder.Creation creation = CreatorFinder.findCreation();
        // a pool created during class initialization is a global one (a holder's static pool): whichever
        // thread touched the class first, every thread will use it, so it is decided as a top-level pool
        boolean classInit = ws != null && creation.inClassInit() && c.demand();
        if (ws != null) {
            TaskSampler.drop(ws); // a task that makes a pool waits for work it made: no sign of what it does
        }
        boolean nested = ws != null && !classInit;
        int share = nested ? ws.decision.share() : c.budget();
        int depth = nested ? ws.decision.depth() + 1 : 0;
        int granted = SharePolicy.grant(c.pools(), nested, resizable, requested, share);
        Decision why = classInit ? Decision.CLASS_INIT : nested ? Decision.SHARE : Decision.TOP_LEVEL;
        if (granted < requested && c.demand()) {
            int bySite = demand.birthGrant(creation.creator(), family, requested, share);
            if (bySite > granted) {
                granted = bySite;
                why = Decision.SITE;
            }
        }
        boolean applied = c.enforcing() && granted != requested;
        PoolDecision d = new PoolDecision(ids.incrementAndGet(), family, creation.creator(), nested ? ws.decision : null,
                nested, depth, requested, resizable, semantics, share, granted, applied);
        d.decidedBy(why);
        if (why == Decision.SITE) {
            // a look, not a measure: two samples, and only on the pools of the site that DemandDecider picks
            demand.bornAtSite(d.demand(), creation.creator(), family, requested, System.nanoTime());
        }
        return d;
    }

    /** Records {@code pool} with its decision, once its constructor has run. */
    void register(Object pool, PoolDecision d) {
        d.kind(pool.getClass());
        registry.add(pool, d);
        if (AdmissionPolicy.admits(governor.config(), d, pool)) {
            d.gate(PoolDecision.GATE_ON);
            admission.inUse(true);
        }
        Config c = governor.config();
        // a pool the share rule sized (cut, or born at its site's grant) may be re-decided while it lives
        boolean sizedByShare = d.decidedBy() == Decision.SHARE || d.decidedBy() == Decision.SITE
                || (c.pools() == PoolScope.ALL && d.decidedBy() == Decision.TOP_LEVEL);
        boolean redecidable = c.demand() && c.enforcing() && pool instanceof ThreadPoolExecutor && d.resizable()
                && sizedByShare && d.creatorShare() < d.requested();
        if ((d.applied() && d.cut() || redecidable) && pool instanceof ThreadPoolExecutor && c.enforcing()) {
            try {
                if ("relief".equals(c.fault())) {
                    throw new IllegalStateException("injected fault in stage 'relief'");
                }
                relief.track((ThreadPoolExecutor) pool, d, d.granted(), d.requested());
                d.redecidable(redecidable);
                if (redecidable && d.cut()) {
                    submissions.watch();
                }
            } catch (Throwable t) {
                Log.failure("relief", t);
            }
        }
        governor.events().poolGoverned(d);
        if (Log.debugEnabled()) {
            Log.debug("pool " + d);
        }
    }

    /**
     * The decision of another library's pool of {@code size} threads (ForeignPools): a top-level pool, never
     * resized and not in the registry; its threads hold {@link SharePolicy#workerShare} of the budget.
     */
    PoolDecision foreign(Object pool, int size) {
        int budget = governor.config().budget();
        PoolDecision d = new PoolDecision(ids.incrementAndGet(), PoolDecision.Family.THREAD_POOL,
                pool.getClass().getName(), null, false, 0, size, false, PoolSemantics.FIXED, budget, size, false);
        d.kind(pool.getClass());
        d.decidedBy(Decision.TOP_LEVEL);
        return d;
    }

    /**
     * The decision of the common pool, met at its first worker's start: a top-level pool of the size the JDK
     * built it with ({@link SharePolicy#commonPoolParallelism} at the agent's start), recorded once.
     */
    PoolDecision commonPool(ForkJoinPool common) {
        synchronized (governor) {
            PoolDecision d = registry.get(common);
            if (d == null) {
                int p = common.getParallelism();
                d = new PoolDecision(ids.incrementAndGet(), PoolDecision.Family.FORK_JOIN,
                        "java.util.concurrent.ForkJoinPool.commonPool", null, false, 0, p,
                        SharePolicy.resizable(PoolSemantics.COMMON), PoolSemantics.COMMON,
                        governor.config().budget(), p, false);
                register(common, d);
            }
            return d;
        }
    }
}
