package io.threadgov.governor.jmx;

import javax.management.ConstructorParameters;

/** One live governed pool in {@link GovernorMXBean#getPools()} (a CompositeData to JMX clients). */
public final class PoolInfo {
    private final long id;
    private final String kind;
    private final String creator;
    private final boolean nested;
    private final int depth;
    private final long parentId;
    private final int requested;
    private final int granted;
    private final int share;
    private final int size;
    private final boolean resizable;
    private final String semantics;
    private final boolean applied;
    private final int reliefSteps;
    private final String character;
    private final double demand;
    private final int redecisions;
    private final String decidedBy;

    @ConstructorParameters({"id", "kind", "creator", "nested", "depth", "parentId", "requested", "granted", "share",
            "size", "resizable", "semantics", "applied", "reliefSteps", "character", "demand", "redecisions",
            "decidedBy"})
    public PoolInfo(long id, String kind, String creator, boolean nested, int depth, long parentId, int requested,
                    int granted, int share, int size, boolean resizable, String semantics, boolean applied,
                    int reliefSteps, String character, double demand, int redecisions, String decidedBy) {
        this.id = id;
        this.kind = kind;
        this.creator = creator;
        this.nested = nested;
        this.depth = depth;
        this.parentId = parentId;
        this.requested = requested;
        this.granted = granted;
        this.share = share;
        this.size = size;
        this.resizable = resizable;
        this.semantics = semantics;
        this.applied = applied;
        this.reliefSteps = reliefSteps;
        this.character = character;
        this.demand = demand;
        this.redecisions = redecisions;
        this.decidedBy = decidedBy;
    }

    public long getId() { return id; }
    public String getKind() { return kind; }
    public String getCreator() { return creator; }
    public boolean isNested() { return nested; }
    public int getDepth() { return depth; }
    /** The id of the pool whose worker created this one, 0 when top-level. */
    public long getParentId() { return parentId; }
    public int getRequested() { return requested; }
    public int getGranted() { return granted; }
    /** Each worker's share of the budget. */
    public int getShare() { return share; }
    /** The pool's parallelism now (core size of a ThreadPoolExecutor), -1 when unknown. */
    public int getSize() { return size; }
    public boolean isResizable() { return resizable; }
    public String getSemantics() { return semantics; }
    public boolean isApplied() { return applied; }
    public int getReliefSteps() { return reliefSteps; }
    /** What its workers do: unknown, computes, mixed or waits (docs/DESIGN.md, "Demand"). */
    public String getCharacter() { return character; }
    /** The fraction of its tasks' time its workers wanted a core, -1 while unknown. */
    public double getDemand() { return demand; }
    /** Times its parallelism changed after its birth (demand, users). */
    public int getRedecisions() { return redecisions; }
    /** Why it has its parallelism now: top-level, share, site, class-init, users or demand. */
    public String getDecidedBy() { return decidedBy; }

    @Override
    public String toString() {
        return kind + "#" + id + "[requested=" + requested + ", granted=" + granted + ", size=" + size + "]";
    }
}
