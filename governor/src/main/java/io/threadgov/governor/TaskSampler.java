package io.threadgov.governor;

/**
 * Decides which of a worker's tasks are sampled, and measures them: the wall time of the task less its run-queue
 * waits, and its run time, go to its pool's demand ({@link DemandDecider#sample}). Called on the worker's own
 * thread only; its state is the worker's {@link WorkerState}.
 */
final class TaskSampler {

    /** Every worker samples its first tasks until its pool's demand is settled (see {@link PoolDemand}). */
    static final int FIRST_SAMPLED = 4;
    /** After those, one task in 16, at most one every 10 ms. */
    static final long SAMPLE_GAP_NANOS = 10_000_000L;

    private final DemandDecider demand;
    /**
     * Bumped at each library load's start and end, by any thread. A sample during which it moved is dropped: a
     * pool's first tasks often load native code (JavaCPP extracting its libraries, one worker loading while the
     * others wait for it), time that says nothing of what the tasks do afterwards, and the first samples decide.
     * Racy increments may lose one another; any change is enough.
     */
    private volatile int loadEpoch;

    TaskSampler(DemandDecider demand) {
        this.demand = demand;
    }

    /**
     * Starts sampling the current worker's task when it is one of the worker's first while its pool's demand is
     * not settled, or one in 16 at least {@link #SAMPLE_GAP_NANOS} after its last sample: a sample costs two reads
     * of /proc (about 8 us each), so a pool of tiny tasks pays nothing measurable, and a pool that changes what it
     * does is seen within 16 tasks of each worker.
     */
    void start(WorkerState ws, int n) {
        PoolDemand d = ws.decision.demand();
        boolean first = n <= FIRST_SAMPLED && d.claimFirst(); // only as many as its pool still needs
        if (!first && (n & 15) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (!first && now - ws.lastSampleEnd < SAMPLE_GAP_NANOS) {
            return;
        }
        long[] stat = SchedStat.self();
        if (stat != null) {
            ws.sampleRan = stat[0];
            ws.sampleQueued = stat[1];
            ws.sampleSwitches = stat[2];
            ws.sampleLoadEpoch = loadEpoch;
            ws.sampleAt = now;
            ws.sampleClaimed = first;
        } else if (first) {
            d.releaseFirst();
        }
    }

    /**
     * Whether the worker's {@code n}th task may be sampled (the caller counts its tasks): one of its first, or
     * one in 16; {@link #start} decides the rest. Inline on the task path: a count and a compare.
     */
    static boolean candidate(int n) {
        return n <= FIRST_SAMPLED || (n & 15) == 0;
    }

    /**
     * Drops the current worker's running sample: its task made work for other threads (a pool, a task for
     * another pool, a stream that split) and will wait for it, which says nothing of what the task itself does
     * (else a pool whose tasks wait for their nested pools would read as waiting and be given more threads,
     * multiplying the nested parallelism the governor exists to bound).
     */
    static void drop(WorkerState ws) {
        if (ws.sampleAt != 0) {
            ws.sampleAt = 0;
            release(ws);
        }
    }

    /** Gives back the running sample's first-task claim, if it holds one. */
    private static void release(WorkerState ws) {
        if (ws.sampleClaimed) {
            ws.sampleClaimed = false;
            ws.decision.demand().releaseFirst();
        }
    }

    /** A library load started or ended somewhere in the process: the samples running now are dropped at their end. */
    void libraryEvent() {
        loadEpoch++;
    }

    /** Whether a sample of the current worker runs (to be ended by {@link #end}). */
    static boolean running(WorkerState ws) {
        return ws.sampleAt != 0;
    }

    /** Ends the current worker's sample: its time less run-queue waits, and its run time, go to its pool's demand. */
    void end(WorkerState ws) {
        long now = System.nanoTime();
        long[] stat = SchedStat.self();
        long wall = now - ws.sampleAt;
        ws.sampleAt = 0;
        ws.lastSampleEnd = now;
        try {
            if (ws.sampleLoadEpoch != loadEpoch) {
                demand.loadDropped();
                return;
            }
            if (stat != null) {
                long busy = wall - (stat[1] - ws.sampleQueued);
                // a task that never gave up its core voluntarily did not wait: whatever else kept it off a core
                // (a stalled machine) is not its own
                demand.sample(ws.decision, busy, stat[2] == ws.sampleSwitches ? busy : stat[0] - ws.sampleRan);
            }
        } finally {
            release(ws); // after the sample is in, so the pool never looks short of samples in between
        }
    }
}
