package io.threadgov.governor;

import io.threadgov.governor.relief.StarvationRelief;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides a live pool's parallelism from what its workers do and who feeds it; see docs/DESIGN.md, "Demand".
 *
 * <ul>
 * <li><b>Demand.</b> Samples of the pool's workers (their sampled tasks, and the relief monitor's look at a cut
 *     pool with tasks queued) go into its {@link PoolDemand}; when the grant that demand gives
 *     ({@link SharePolicy#grantForDemand}) differs from the pool's, the pool is resized: grown at once, cut back
 *     only once it computes (a pool between the two is not flapped).</li>
 * <li><b>Sites.</b> The demand last measured at a creation site is remembered, so the next pool created there
 *     is born at its grant instead of learning it again ({@link #birthGrant}).</li>
 * <li><b>Users.</b> A cut pool that a thread with a larger share than its creator's feeds (main, a worker of
 *     another pool) is re-decided for that thread ({@link #fedBy}).</li>
 * </ul>
 *
 * <p>Only ThreadPoolExecutors are resized, through {@link StarvationRelief#resize} (the one place that resizes
 * a governed pool after its birth, under that pool's lock, then this governor's); ForkJoin pools get their
 * site's grant at birth.
 */
final class DemandDecider {

    /** Sites remembered at most (a program with more creation sites learns the rest per pool). */
    static final int MAX_SITES = 4096;
    /**
     * A site whose pools are born at its grant has the first tasks of one of them sampled at most this often:
     * enough to follow a site that changes what its pools do, while a site that creates a pool per request does
     * not pay four reads of /proc for two tasks of every pool (io-fanout, 16 pools a round: file opens in a quick
     * run 556 without the agent, 10133 with it when every worker sampled, 1175 with claims and these looks).
     */
    static final long SITE_LOOK_GAP_NANOS = 50_000_000L;

    private final Governor governor;
    private final StarvationRelief relief;
    private final Map<String, Double> sites = new ConcurrentHashMap<>();
    /** When a pool born at each site last had its first tasks sampled (System.nanoTime). */
    private final Map<String, AtomicLong> siteLooks = new ConcurrentHashMap<>();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong redecisions = new AtomicLong();
    private final AtomicLong grown = new AtomicLong();
    private final AtomicLong cut = new AtomicLong();
    private final AtomicLong promoted = new AtomicLong();
    private final AtomicLong loadDropped = new AtomicLong();

    DemandDecider(Governor governor, StarvationRelief relief) {
        this.governor = governor;
        this.relief = relief;
    }

    /** Whether demand can be measured here at all (Linux schedstat). */
    static boolean measurable() {
        return SchedStat.AVAILABLE;
    }

    /**
     * A pool's site: where it was created, what family of pool and what size it asked for (one method may create
     * several pools for different work), or null when its creator is unknown.
     */
    static String site(String creator, PoolDecision.Family family, int requested) {
        return "unknown".equals(creator) ? null : creator + "/" + family + "/" + requested;
    }

    /**
     * The grant a new ThreadPoolExecutor created at {@code creator} gets from its site's last demand, or -1 when
     * the site has none (or says it computes: the share rule decides as always). ForkJoin pools are left to the
     * share rule: their workers' waits are joins of their own tasks, which a live ForkJoinPool compensates itself.
     */
    int birthGrant(String creator, PoolDecision.Family family, int requested, int creatorShare) {
        double d = siteDemand(family == PoolDecision.Family.THREAD_POOL ? site(creator, family, requested) : null);
        if (d < 0 || PoolDemand.of(d) == PoolCharacter.COMPUTES) {
            return -1;
        }
        return SharePolicy.grantForDemand(requested, creatorShare, d);
    }

    /** The demand last measured at the site {@code key} ({@link #site}; null: none), or -1 when none is known. */
    private double siteDemand(String key) {
        Double d = key == null ? null : sites.get(key);
        return d == null ? -1 : d;
    }

    /**
     * A pool was born at its site's grant ({@link #birthGrant}): its {@code demand} starts from the site's, and it
     * samples its first tasks (two) only when {@link #siteLook} picks it. {@code now}: System.nanoTime().
     */
    void bornAtSite(PoolDemand demand, String creator, PoolDecision.Family family, int requested, long now) {
        String key = site(creator, family, requested);
        demand.bornOf(siteDemand(key));
        demand.settleAfter(siteLook(key, now) ? 2 : 0);
    }

    /**
     * Whether a pool born now at the site {@code key} ({@link #site}) at its grant samples its first tasks: the
     * first such pool of a site, then one at most every {@link #SITE_LOOK_GAP_NANOS} (the others are judged by
     * their site's demand, as at birth, and sample one task in 16 like every worker). {@code now}:
     * System.nanoTime().
     */
    boolean siteLook(String key, long now) {
        if (key == null) {
            return true;
        }
        AtomicLong last = siteLooks.get(key);
        if (last == null) {
            if (siteLooks.size() >= MAX_SITES) {
                return true;
            }
            last = siteLooks.computeIfAbsent(key, k -> new AtomicLong(now - SITE_LOOK_GAP_NANOS));
        }
        long at = last.get();
        return now - at >= SITE_LOOK_GAP_NANOS && last.compareAndSet(at, now);
    }

    /** A sample was dropped: a library load started or ended while it ran (TaskSampler). */
    void loadDropped() {
        loadDropped.incrementAndGet();
    }

    /** One sample of {@code d}'s workers (run-queue waits left out of the wall); re-decides the pool when its grant changes. */
    void sample(PoolDecision d, long wallNanos, long ranNanos) {
        samples.incrementAndGet();
        PoolDemand demand = d.demand();
        demand.add(wallNanos, ranNanos);
        double now = demand.demand();
        if (now < 0) {
            return;
        }
        String site = site(d.creator(), d.family(), d.requested());
        if (site != null && (sites.size() < MAX_SITES || sites.containsKey(site))) {
            sites.put(site, now);
        }
        if (!d.redecidable()) {
            return;
        }
        int target = SharePolicy.grantForDemand(d.requested(), d.creatorShare(), now);
        int granted = d.granted();
        if (target > granted || (target < granted && PoolDemand.of(now) == PoolCharacter.COMPUTES)) {
            resize(d, target, Decision.DEMAND, now);
        }
    }

    /**
     * A thread of share {@code submitterShare} ({@code topLevel}: no governed pool's worker) submits to the cut
     * pool {@code d}: when that share is larger than its creator's, the pool is decided for it.
     */
    void fedBy(PoolDecision d, int submitterShare, boolean topLevel) {
        if (!d.redecidable() || submitterShare <= d.creatorShare() || !d.cut()) {
            return;
        }
        Config c = governor.config();
        int grant = SharePolicy.grant(c.pools(), !topLevel, d.resizable(), d.requested(), submitterShare);
        grant = Math.max(grant, SharePolicy.grantForDemand(d.requested(), submitterShare, d.demand().demand()));
        if (topLevel && c.pools() != PoolScope.ALL) {
            d.redecidable(false); // a top-level pool now: it keeps its size
        }
        if (grant > d.granted()) {
            if (resize(d, grant, Decision.USERS, d.demand().demand(), submitterShare)) {
                promoted.incrementAndGet();
            }
        }
    }

    private boolean resize(PoolDecision d, int to, Decision reason, double demand) {
        return resize(d, to, reason, demand, d.creatorShare());
    }

    private boolean resize(PoolDecision d, int to, Decision reason, double demand, int creatorShare) {
        return relief.resize(d, to, new StarvationRelief.Resized() {
            @Override
            public void resized(int from, int size) {
                governor.redecided(d, creatorShare, from, size, reason, demand);
                redecisions.incrementAndGet();
                (size > from ? grown : cut).incrementAndGet();
            }
        });
    }

    /** The report's "demand" object. */
    Map<String, Object> counters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("measured", measurable());
        m.put("samples", samples.get());
        m.put("redecisions", redecisions.get());
        m.put("grown", grown.get());
        m.put("cut", cut.get());
        m.put("promoted", promoted.get());
        m.put("sites", sites.size());
        m.put("load_dropped", loadDropped.get());
        return m;
    }
}
