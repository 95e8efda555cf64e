package io.threadgov.governor;

/**
 * The governor's decision for one pool, and its record in the report.
 *
 * <p>{@code granted} may grow after creation when starvation relief steps in, and may change when the
 * budget is changed at run time; both are written by one thread at a time under the governor's lock and
 * read racily (volatile) by workers.
 */
public final class PoolDecision {

    /** The family of pool; the recorded kind is the pool's own class name. */
    public enum Family { FORK_JOIN, THREAD_POOL }

    private final long id;
    private final Family family;
    private volatile String kind;
    private final String creator;
    private final PoolDecision parent;
    private final boolean nested;
    private final int depth;
    private final int requested;
    private final boolean resizable;
    private final PoolSemantics semantics;
    private volatile int creatorShare;
    private volatile boolean applied;
    private volatile int granted;
    private volatile int share;
    private volatile int reliefSteps;
    /** CPU admission of this pool's workers: GATE_NONE, GATE_ON, or GATE_OFF (its tasks block: left alone). */
    private volatile int gate;
    /** Admissions and revocations of this pool's workers: written under CpuAdmission's lock, read racily. */
    long gateAdmissions;
    long gateRevocations;
    /** Tasks this pool's workers started while holding a core: its waiters' sign that the pool is not stalled. */
    final java.util.concurrent.atomic.AtomicLong gateStarts = new java.util.concurrent.atomic.AtomicLong();
    /** What its workers do with their time (sampled tasks). */
    private final PoolDemand demand = new PoolDemand();
    private volatile Decision decidedBy;
    /** The last {@link #MAX_REDECISIONS} re-decisions, oldest first (guarded by itself). */
    private final java.util.ArrayDeque<Redecision> redecisions = new java.util.ArrayDeque<>();
    private volatile int redecisionCount;
    static final int MAX_REDECISIONS = 16;

    /** One change of a live pool's parallelism after its birth. */
    public static final class Redecision {
        public final long atMillis;
        public final int from;
        public final int to;
        public final Decision reason;
        /** The demand that decided it, -1 when unknown. */
        public final double demand;

        public Redecision(long atMillis, int from, int to, Decision reason, double demand) {
            this.atMillis = atMillis;
            this.from = from;
            this.to = to;
            this.reason = reason;
            this.demand = demand;
        }
    }

    static final int GATE_NONE = 0;
    static final int GATE_ON = 1;
    static final int GATE_OFF = 2;

    PoolDecision(long id, Family family, String creator, PoolDecision parent, boolean nested, int depth,
                 int requested, boolean resizable, PoolSemantics semantics, int creatorShare, int granted, boolean applied) {
        this.id = id;
        this.family = family;
        this.kind = family == Family.FORK_JOIN ? "ForkJoinPool" : "ThreadPoolExecutor";
        this.creator = creator;
        this.parent = parent;
        this.nested = nested;
        this.depth = depth;
        this.requested = requested;
        this.resizable = resizable;
        this.semantics = semantics;
        this.creatorShare = creatorShare;
        this.granted = granted;
        this.applied = applied;
        this.share = SharePolicy.workerShare(creatorShare, granted);
    }

    public long id() { return id; }

    /** What this pool's workers do with their time. */
    public PoolDemand demand() { return demand; }

    private volatile boolean redecidable;

    /** Whether its parallelism may still change by its demand or its users (a resizable, governed ThreadPoolExecutor). */
    boolean redecidable() { return redecidable; }

    void redecidable(boolean r) { this.redecidable = r; }

    /** Why it has its parallelism now. */
    public Decision decidedBy() { return decidedBy; }

    void decidedBy(Decision d) { this.decidedBy = d; }

    /** The last re-decisions, oldest first. */
    public java.util.List<Redecision> redecisions() {
        synchronized (redecisions) {
            return new java.util.ArrayList<>(redecisions);
        }
    }

    /** Re-decisions since birth (also those no longer listed). */
    public int redecisionCount() { return redecisionCount; }

    void redecided(Redecision r) {
        synchronized (redecisions) {
            if (redecisions.size() == MAX_REDECISIONS) {
                redecisions.removeFirst();
            }
            redecisions.addLast(r);
            redecisionCount++;
        }
        this.decidedBy = r.reason;
    }

    /** True while this pool's workers take a core from the CPU admission before running a task. */
    public boolean gated() { return gate == GATE_ON; }

    /** "on", "off (blocking)" or null when the pool is not under admission. */
    public String gateState() {
        int g = gate;
        return g == GATE_ON ? "on" : g == GATE_OFF ? "off (tasks block)" : null;
    }

    void gate(int g) { this.gate = g; }

    int gateRaw() { return gate; }


    public Family family() { return family; }

    /** The pool's class, simple name for JDK classes, full name for others. */
    public String kind() { return kind; }

    void kind(Class<?> poolClass) {
        String n = poolClass.getName();
        this.kind = n.startsWith("java.util.concurrent.") ? poolClass.getSimpleName() : n;
    }

    /** The creating class and method, {@code com.example.Job.run}. */
    public String creator() { return creator; }

    /** The pool whose worker created this one, or null for a top-level pool. */
    public PoolDecision parent() { return parent; }

    public boolean nested() { return nested; }

    /** 0 for a top-level pool, parent depth + 1 for a nested one. */
    public int depth() { return depth; }

    /** The parallelism the application asked for. */
    public int requested() { return requested; }

    /** The parallelism decided: equal to requested when the pool is left alone. */
    public int granted() { return granted; }

    void granted(int g) {
        this.granted = g;
        this.share = SharePolicy.workerShare(creatorShare, g);
    }

    /** The share of each of this pool's workers: max(1, creatorShare / granted). */
    public int share() { return share; }

    /** The share of the thread that created the pool. */
    public int creatorShare() { return creatorShare; }

    /** Whether threadgov may change its size: {@link SharePolicy#resizable(PoolSemantics)} of its semantics. */
    public boolean resizable() { return resizable; }

    /** What a size change does to the pool (the report shows its {@link PoolSemantics#key()}). */
    public PoolSemantics semantics() { return semantics; }

    /** Whether the decision changed the pool (enforce mode and granted != requested). */
    public boolean applied() { return applied; }

    /** True when the pool was cut below what the application asked for. */
    public boolean cut() { return granted < requested; }

    /** A run-time budget or mode change: see {@link Governor#regrant}. */
    void regrant(int newCreatorShare, int newGranted, boolean nowApplied) {
        this.creatorShare = newCreatorShare;
        this.applied = nowApplied;
        granted(newGranted);
    }

    public int reliefSteps() { return reliefSteps; }

    void reliefStep() { reliefSteps++; }

    @Override
    public String toString() {
        return kind + "#" + id + "[creator=" + creator + ", nested=" + nested + ", depth=" + depth + ", requested="
                + requested + ", granted=" + granted + ", share=" + share + "]";
    }
}
