package io.threadgov.governor;

/**
 * A pool's demand for cores: the fraction of its tasks' time they compute whenever they have a core, measured
 * on sampled tasks as run time over wall time less run-queue waits (a task descheduled by a busy machine is
 * neither computing nor waiting for its own reasons: that time is left out, so oversubscription never makes a
 * computing pool look like a waiting one). See docs/DESIGN.md, "Demand".
 *
 * <p>Samples are weighed by their wall time; the sums are halved every {@link #WINDOW} samples, so the last
 * few dozen samples decide and a pool that changes what it does is seen within a window. Until
 * {@link #MIN_SAMPLES} samples or {@link #MIN_WALL_NANOS} of sampled time are in, the character is unknown.
 * Written by the pool's workers and the relief monitor under this object's lock (a sample is taken at most
 * every few milliseconds per worker); {@link #demand} is read racily from a volatile.
 */
public final class PoolDemand {

    /** At or above: the pool computes. */
    public static final double COMPUTES = 0.75;
    /** Below: the pool waits. */
    public static final double WAITS = 0.25;
    static final int WINDOW = 16;
    static final int MIN_SAMPLES = 4;
    static final long MIN_WALL_NANOS = 5_000_000L;
    /** Shorter samples are left out: a pool of tiny tasks stays unknown, and the share rule decides it. */
    static final long MIN_SAMPLE_NANOS = 1_000_000L;
    /** Samples after which a worker's first tasks are no longer sampled (only one in 16). */
    static final int SETTLED_SAMPLES = 8;

    private long wall;
    private long ran;
    private int inWindow;
    /** Written under this object's lock; volatile so that {@link #claimFirst} may read it without. */
    private volatile long samples;
    private long sampledWall;
    private volatile double demand = -1;
    private volatile boolean settled;
    private volatile int settleAfter = SETTLED_SAMPLES;
    /** First-task samples running now: claimed by {@link #claimFirst}, not yet released. */
    private final java.util.concurrent.atomic.AtomicInteger firstRunning = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Adds one sample: {@code wallNanos} of a worker's time in tasks (run-queue waits left out), of which it ran
     * on a core {@code ranNanos}.
     */
    public synchronized void add(long wallNanos, long ranNanos) {
        if (wallNanos < MIN_SAMPLE_NANOS || ranNanos < 0) {
            return; // too short to tell: the two reads of /proc it takes weigh as much as the task
        }
        wall += wallNanos;
        ran += Math.min(ranNanos, wallNanos); // scheduler accounting rounded past the wall clock
        samples++;
        sampledWall += wallNanos;
        if (++inWindow >= WINDOW) {
            wall /= 2;
            ran /= 2;
            inWindow = WINDOW / 2;
        }
        // never on one sample: a pool's first task also waits on class initialisation and lambda linkage locks
        if (samples >= MIN_SAMPLES || (samples >= 2 && sampledWall >= MIN_WALL_NANOS)) {
            demand = wall == 0 ? 1 : (double) ran / wall;
        }
        if (samples >= settleAfter) {
            settled = true;
        }
    }

    /**
     * A pool born at its site's grant starts from the demand its site last measured ({@code siteDemand}, 0..1;
     * ignored when negative): its character is its site's until samples of its own replace it (most such pools
     * take none, see {@link #claimFirst}), and the report's {@code samples} tells which.
     */
    synchronized void bornOf(double siteDemand) {
        if (siteDemand >= 0 && samples == 0) {
            demand = siteDemand;
        }
    }

    /** The measured demand, 0..1, or -1 while unknown. */
    public double demand() {
        return demand;
    }

    /**
     * A pool born at its site's grant needs only a look, not a measure: its workers stop sampling their first
     * tasks after {@code n} samples (a site that creates a pool per request would otherwise pay two reads of
     * /proc per task of every pool: 12 % of io-fanout's time, measured).
     */
    synchronized void settleAfter(int n) {
        this.settleAfter = n;
        if (n <= 0) {
            settled = true; // judged by its site alone: its workers sample one task in 16 only
        }
    }

    /**
     * Claims one sample of a worker's first task: granted while the samples in and those running stay below the
     * number that settles the pool. Workers that start together (a pool of 16 born for one request, each running
     * one task) would otherwise all sample, since none has ended when the others begin: 16 samples where 2
     * settle a pool born at its site's grant, four reads of /proc each, on every such pool (io-fanout paid 11 %
     * of its time for them, measured). A claim is released by {@link #releaseFirst} when its sample ends or is
     * dropped. Lock-free: a claim is a CAS on one counter; the check against {@code samples} is racy, which may let
     * a sample or two more run, never fewer than needed.
     */
    boolean claimFirst() {
        for (;;) {
            int running = firstRunning.get();
            if (settled || running + samples >= settleAfter) {
                return false;
            }
            if (firstRunning.compareAndSet(running, running + 1)) {
                return true;
            }
        }
    }

    /** Ends a claim of {@link #claimFirst}. */
    void releaseFirst() {
        firstRunning.decrementAndGet();
    }

    /** Enough samples that new workers need not sample their first tasks. */
    public boolean settled() {
        return settled;
    }

    public synchronized long samples() {
        return samples;
    }

    public PoolCharacter character() {
        return of(demand);
    }

    /** The character of a measured demand ({@code -1}: unknown). */
    public static PoolCharacter of(double demand) {
        if (demand < 0) {
            return PoolCharacter.UNKNOWN;
        }
        return demand >= COMPUTES ? PoolCharacter.COMPUTES : demand < WAITS ? PoolCharacter.WAITS : PoolCharacter.MIXED;
    }
}
