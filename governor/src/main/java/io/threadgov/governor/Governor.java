package io.threadgov.governor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The governor of one JVM: decides the size of every pool the application creates and the share of the
 * core budget each thread may use, and tells the native runtimes.
 *
 * <p>The agent's hooks call it from inside the JDK's pool classes: on pool construction
 * ({@link #decideForkJoin}, {@link #decideThreadPool}, then {@link #register}), when a worker thread starts
 * and ends ({@link #workerStart}, {@link #workerEnd}), and when a worker picks up work or goes idle
 * ({@link #taskStart}, {@link #taskIdle}). None of these throws; the hooks also suppress and count.
 */
public final class Governor {

    /*
     * Concurrency overview.
     *
     * Per-thread state (WorkerState) lives in a ThreadLocal and is touched only by its own thread: which
     * pool the thread works for, whether it is busy, and the native share last applied to it. The only
     * shared mutable state on a task's path is the busy-worker counter (an AtomicLong holding the count
     * and the sum of the busy workers' shares, so one load reads both), touched only on real transitions
     * between busy and idle (a ThreadPoolExecutor worker that finds its queue non-empty stays busy; one
     * whose FutureTask completes with its queue empty is idle before the task's waiters wake) and only while native runtimes are governed (countBusy, set at construction when
     * native governing is on, or when a runtime that needs the count is found, and never cleared).
     *
     * Pool decisions are created on the creating thread and published to workers through the registry,
     * whose monitor orders the put (creator, before the constructor returns) before any get (a worker,
     * which can only start after the constructor returned). A decision's granted/share fields are
     * volatile: relief and budget changes rewrite them under this governor's lock; workers read them
     * racily and see the new value at their next task at the latest.
     *
     * nativeGeneration is a volatile counter bumped whenever what a thread must apply to the native
     * runtimes may have changed (a runtime was found, the budget changed); each worker compares it with
     * the generation it last applied, so the steady state costs one volatile read per task.
     */

    private static volatile Governor current;

    private volatile Config config;
    private final PoolRegistry registry = new PoolRegistry();
    private final ThreadLocal<WorkerState> worker = new ThreadLocal<>();
    /**
     * Busy governed workers (high 32 bits), the sum of their shares (bits 0-30) and whether the last change
     * was a worker going idle (bit 31, DRAINING), updated together.
     */
    private final java.util.concurrent.atomic.AtomicLong busy = new java.util.concurrent.atomic.AtomicLong();
    private static final long DRAINING = 1L << 31;
    private static final long SHARES = DRAINING - 1;
    private final AtomicLong ids = new AtomicLong();
    /** Parallel streams run whole in their calling worker (or that would have been, in observe mode). */
    private final java.util.concurrent.atomic.LongAdder streamsInCaller = new java.util.concurrent.atomic.LongAdder();
    private volatile NativeControl natives = NativeControl.NONE;
    /** The agent's "finish your start" action (DeferredStart): null until installed, and for tests. */
    private volatile Runnable startGate;
    private volatile EventSink events = EventSink.NONE;
    private volatile int nativeGeneration;
    private volatile boolean countBusy;
    private volatile boolean busyCounted;
    private final long startNanos = System.nanoTime();
    private final io.threadgov.governor.relief.StarvationRelief relief;
    private final CpuAdmission admission;
    private final GemmBlocks gemmBlocks = new GemmBlocks(this);
    private final DemandDecider demand;
    /** Set once a pool that its users may re-decide is cut: from then on submissions are looked at. */
    private volatile boolean cutPools;
    /** The pool this thread last submitted to and its decision (a weak pool, so a cache never keeps one alive). */
    private final ThreadLocal<SubmitSeen> submitSeen = new ThreadLocal<SubmitSeen>() {
        @Override
        protected SubmitSeen initialValue() {
            return new SubmitSeen();
        }
    };

    /**
     * Sampling: the first tasks of every worker until its pool's demand is settled, then one in 16 at most every
     * 10 ms (see PoolDemand).
     */
    static final int FIRST_SAMPLED = 4;
    static final long SAMPLE_GAP_NANOS = 10_000_000L;

    public Governor(Config config) {
        this.config = config;
        // busy workers drive the process-wide native settings, and a worker already inside a long task
        // when a runtime is found could never be counted: count from the start whenever native governing
        // is on. It costs two atomic updates per real idle period, none while a worker finds work waiting.
        this.countBusy = config.enforcing() && config.nativeAuto();
        // anonymous classes, not lambdas: no invokedynamic bootstrap on the agent's start path
        java.util.function.LongSupplier clock = new java.util.function.LongSupplier() {
            @Override
            public long getAsLong() {
                return System.nanoTime();
            }
        };
        java.util.function.LongSupplier starvation = new java.util.function.LongSupplier() {
            @Override
            public long getAsLong() {
                return Governor.this.config.starvationMillis();
            }
        };
        this.relief = new io.threadgov.governor.relief.StarvationRelief(clock, starvation,
                new io.threadgov.governor.relief.StarvationRelief.Listener() {
                    @Override
                    public void stepped(Object key, int from, int to, long blockedMillis, int queued) {
                        reliefStepped(key, from, to, blockedMillis, queued);
                    }

                    @Override
                    public int currentTid() {
                        return Governor.this.config.demand() && SchedStat.AVAILABLE ? KernelThreadState.currentTid() : -1;
                    }

                    @Override
                    public long[] schedstat(int tid) {
                        return SchedStat.of(tid);
                    }

                    @Override
                    public boolean runnable(int tid) {
                        return KernelThreadState.of(tid) == KernelThreadState.RUNNABLE;
                    }

                    @Override
                    public void demand(Object key, long wallNanos, long ranNanos) {
                        PoolDecision d = (PoolDecision) key;
                        if (Governor.this.config.demand()) {
                            Governor.this.demand.sample(d, wallNanos, ranNanos);
                        }
                    }
                });
        this.demand = new DemandDecider(this, relief);
        this.admission = new CpuAdmission(config.budget(), clock, starvation, new ThreadCpuClock());
    }

    /** Records one starvation-relief step of a cut pool: its decision, the report, the event sink. */
    private void reliefStepped(Object key, int from, int to, long blockedMillis, int queued) {
        PoolDecision d = (PoolDecision) key;
        synchronized (this) {
            d.granted(to);
            if (to > from) {
                d.reliefStep();
            }
        }
        try {
            events.starvationRelief(d, from, to, blockedMillis, queued);
        } catch (Throwable t) {
            Log.failure("relief events", t);
        }
        if (Log.debugEnabled()) {
            Log.debug("relief " + d + ": " + from + " -> " + to + " (blocked " + blockedMillis + " ms, queued " + queued + ")");
        }
    }

    /** The governor installed in this JVM, or null when the agent is absent or off. */
    public static Governor current() {
        return current;
    }

    /** Makes {@code g} the JVM's governor; returns false if one is installed already. */
    public static synchronized boolean install(Governor g) {
        if (current != null) {
            return false;
        }
        current = g;
        return true;
    }

    public Config config() {
        return config;
    }

    public int budget() {
        return config.budget();
    }

    public void natives(NativeControl n) {
        this.natives = n == null ? NativeControl.NONE : n;
        bumpNativeGeneration();
    }

    public NativeControl natives() {
        return natives;
    }

    /** Whether large BLAS products run as row blocks (threadgov.gemm_blocks), and what they did. */
    public GemmBlocks gemmBlocks() {
        return gemmBlocks;
    }

    /** Installs what {@link #awaitStart} runs: the agent's deferred start (run here, or waited for). */
    public void startGate(Runnable gate) {
        this.startGate = gate;
    }

    /**
     * Returns once the agent's deferred start (its native layer's first scan included) has run: runs it on
     * this thread, or waits, bounded, for the thread running it. One volatile read once it has run.
     */
    public void awaitStart() {
        Runnable g = startGate;
        if (g != null) {
            try {
                g.run();
            } catch (Throwable t) {
                Log.failure("start", t);
            }
        }
    }

    public void events(EventSink e) {
        this.events = e == null ? EventSink.NONE : e;
    }

    public EventSink events() {
        return events;
    }

    /** Replaces the configuration (budget or mode changed at run time). */
    public synchronized void reconfigure(Config c) {
        this.config = c;
        admission.permits(c.budget());
        if (!c.admission()) {
            admission.openAll();
        }
        bumpNativeGeneration();
    }

    /** Something a thread applies to the native runtimes changed: each worker re-applies at its next task. */
    public void bumpNativeGeneration() {
        nativeGeneration++;
        if (natives.needsBusyCount()) {
            countBusy = true;
        }
    }

    // ---------------------------------------------------------------- pool decisions

    /** Decides a ForkJoinPool asking for {@code parallelism}, on the creating thread. */
    public PoolDecision decideForkJoin(int parallelism) {
        return decide(PoolDecision.Family.FORK_JOIN, parallelism, PoolSemantics.FORK_JOIN);
    }

    /**
     * Decides a ThreadPoolExecutor, on the creating thread. {@code queueCapacity} is the work queue's
     * remaining capacity plus its size ({@code Integer.MAX_VALUE} or more when unbounded).
     */
    public PoolDecision decideThreadPool(int core, int max, long queueCapacity) {
        return decide(PoolDecision.Family.THREAD_POOL, SharePolicy.threadPoolRequested(core, max, queueCapacity),
                SharePolicy.threadPoolSemantics(core, max, queueCapacity));
    }

    private PoolDecision decide(PoolDecision.Family family, int requested, PoolSemantics semantics) {
        Config c = config;
        boolean resizable = SharePolicy.resizable(semantics);
        CreatorFinder.Creation creation = CreatorFinder.findCreation();
        WorkerState ws = worker.get();
        // a pool created during class initialization is a global one (a holder's static pool): whichever
        // thread touched the class first, every thread will use it, so it is decided as a top-level pool
        boolean classInit = ws != null && creation.inClassInit() && c.demand();
        boolean nested = ws != null && !classInit;
        int share = nested ? ws.decision.share() : c.budget();
        int depth = nested ? ws.decision.depth() + 1 : 0;
        int granted = SharePolicy.grant(c.pools(), nested, resizable, requested, share);
        Decision why = classInit ? Decision.CLASS_INIT : nested ? Decision.SHARE : Decision.TOP_LEVEL;
        if (granted < requested && c.demand()) {
            int bySite = demand.birthGrant(creation.creator(), requested, share);
            if (bySite > granted) {
                granted = bySite;
                why = Decision.SITE;
            }
        }
        boolean applied = c.enforcing() && granted != requested;
        PoolDecision d = new PoolDecision(ids.incrementAndGet(), family, creation.creator(), nested ? ws.decision : null,
                nested, depth, requested, resizable, semantics, share, granted, applied);
        d.decidedBy(why);
        return d;
    }

    /** Records {@code pool} with its decision, once its constructor has run. */
    public void register(Object pool, PoolDecision d) {
        d.kind(pool.getClass());
        registry.add(pool, d);
        if (AdmissionPolicy.admits(config, d, pool)) {
            d.gate(PoolDecision.GATE_ON);
            admission.inUse(true);
        }
        Config c = config;
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
                    cutPools = true;
                }
            } catch (Throwable t) {
                Log.failure("relief", t);
            }
        }
        events.poolGoverned(d);
        if (Log.debugEnabled()) {
            Log.debug("pool " + d);
        }
    }

    /** The decision recorded for a live pool, or null. */
    public PoolDecision decisionOf(Object pool) {
        return registry.get(pool);
    }

    /** Visits every live pool the governor knows, with its decision. */
    public void forEachPool(java.util.function.BiConsumer<Object, PoolDecision> action) {
        registry.forEachLive(action);
    }

    // ---------------------------------------------------------------- worker threads

    /** The current thread starts working for {@code pool}. */
    public void workerStart(Object pool) {
        PoolDecision d = registry.get(pool);
        if (d == null && pool instanceof ForkJoinPool && pool == ForkJoinPool.commonPool()) {
            d = registerCommonPool((ForkJoinPool) pool);
        }
        if (d == null) {
            return;
        }
        WorkerState ws = new WorkerState(d);
        ws.pool = pool;
        worker.set(ws);
        if (relief.active()) {
            relief.workerStarted(d, Thread.currentThread());
        }
        taskStart();
    }

    private synchronized PoolDecision registerCommonPool(ForkJoinPool common) {
        PoolDecision d = registry.get(common);
        if (d == null) {
            int p = common.getParallelism();
            d = new PoolDecision(ids.incrementAndGet(), PoolDecision.Family.FORK_JOIN,
                    "java.util.concurrent.ForkJoinPool.commonPool", null, false, 0, p, SharePolicy.resizable(PoolSemantics.COMMON), PoolSemantics.COMMON, config.budget(), p,
                    false);
            register(common, d);
        }
        return d;
    }

    /** The current thread stops working for its pool. */
    public void workerEnd() {
        WorkerState ws = worker.get();
        if (ws != null) {
            taskIdle();
            worker.remove();
            if (relief.active()) {
                relief.workerEnded(ws.decision, Thread.currentThread());
            }
        }
    }

    /** The current worker picked up work: count it busy and bring its native share up to date. */
    public void taskStart() {
        WorkerState ws = worker.get();
        if (ws == null) {
            return;
        }
        if (ws.betweenTasks) {
            ws.betweenTasks = false;
        }
        if (!ws.busy) {
            ws.busy = true;
            if (ws.decision.family() == PoolDecision.Family.FORK_JOIN && config.demand()) {
                sampleStart(ws); // a ForkJoin worker's busy period: from work found to its next wait for work
            }
            // a worker of a pool that waits (I/O, sleeps, other tasks) is not counted: it needs no core, so
            // the threads that compute split the cores among themselves
            if (countBusy && ws.decision.demand().character() != PoolCharacter.WAITS) {
                ws.counted = true;
                ws.countedShare = SharePolicy.busyShare(ws.decision.semantics(), ws.decision.share(), ws.decision.creatorShare());
                int b = (int) (addBusy(1, ws.countedShare, false) >> 32);
                if (!busyCounted) {
                    busyCounted = true;
                }
                if (b <= config.budget()) { // past the budget the process-wide count is 1 whatever b is
                    natives.busyWorkersChanged(b, config.budget());
                }
            }
        }
        if (!ws.holding && ws.decision.gated() && config.admission()) {
            // counted busy first: a worker with a task in hand is busy for the native settings, so the
            // process-wide BLAS count stays at the pool's share instead of following the holders
            admission.acquire(ws, true); // may wait for a core; the task it took waits with it
        }
        if (ws.holding) {
            ws.heldTasks++; // single writer; weighs the pool's revocations (CpuAdmission)
            if (!ws.overBudget) {
                ws.decision.gateStarts.incrementAndGet(); // the pool progresses: its waiters are not overdue
            }
        }
        int gen = nativeGeneration;
        if (ws.nativeGeneration != gen) {
            ws.nativeGeneration = gen;
            int share = ws.decision.share();
            // applied on every generation change, even with the same share: a runtime found since
            // needs the value too (the native layer caches per thread, so an unchanged value is free)
            if (config.enforcing() && config.nativeAuto()) {
                natives.applyToCurrentThread(share);
            }
        }
    }

    /** The current worker of a ThreadPoolExecutor is about to run {@code task} (its first one too). */
    public void taskRunning(Object task) {
        WorkerState ws = worker.get();
        if (ws != null) {
            ws.currentTask = task;
            if (ws.sampleAt != 0) {
                sampleEnd(ws); // its previous task ended: the worker went straight on to this one
            }
            if (config.demand()) {
                sampleStart(ws);
            }
        }
    }

    /**
     * Starts sampling the current worker's task when it is one of the worker's first while its pool's demand is
     * not settled, or one in 16 at least {@link #SAMPLE_GAP_NANOS} after its last sample: a sample costs two reads
     * of /proc (about 8 us each), so a pool of tiny tasks pays nothing measurable, and a pool that changes what it
     * does is seen within 16 tasks of each worker.
     */
    private void sampleStart(WorkerState ws) {
        int n = ++ws.tasksSeen;
        boolean first = n <= FIRST_SAMPLED && !ws.decision.demand().settled();
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
            ws.sampleAt = now;
        }
    }

    /** Ends the current worker's sample: its time less run-queue waits, and its run time, go to its pool's demand. */
    private void sampleEnd(WorkerState ws) {
        long now = System.nanoTime();
        long[] stat = SchedStat.self();
        long wall = now - ws.sampleAt;
        ws.sampleAt = 0;
        ws.lastSampleEnd = now;
        if (stat != null) {
            demand.sample(ws.decision, wall - (stat[1] - ws.sampleQueued), stat[0] - ws.sampleRan);
        }
    }

    /**
     * The current thread submits a task to {@code pool} (ThreadPoolExecutor.execute): a pool cut to its creator's
     * share is re-decided when it is fed by a thread of a larger share, as a pool is judged by its users, not
     * only its birthplace. One volatile read until some such pool was cut; then a cached look-up per submission.
     */
    public void submitted(Object pool) {
        if (!cutPools) {
            return;
        }
        SubmitSeen seen = submitSeen.get();
        PoolDecision d;
        if (seen.pool.get() == pool) {
            d = seen.decision;
        } else {
            d = registry.get(pool);
            seen.pool = new java.lang.ref.WeakReference<>(pool);
            seen.decision = d;
        }
        if (d == null || !d.cut() || !d.redecidable()) {
            return;
        }
        WorkerState ws = worker.get();
        int share = ws == null ? config.budget() : ws.decision.share();
        if (share > d.creatorShare()) {
            demand.fedBy(d, share, ws == null);
        }
    }

    /** A thread's last submission target (see {@link #submitted}). */
    private static final class SubmitSeen {
        java.lang.ref.WeakReference<Object> pool = new java.lang.ref.WeakReference<>(null);
        PoolDecision decision;
    }

    /**
     * Records a re-decision of {@code d} that its pool's resize has applied (called under the pool's relief lock):
     * its creator's share and grant, the record, the event; workers re-apply their share at their next task.
     */
    void redecided(PoolDecision d, int creatorShare, int from, int to, Decision reason, double measured) {
        PoolDecision.Redecision r = new PoolDecision.Redecision((System.nanoTime() - startNanos) / 1_000_000,
                from, to, reason, measured);
        synchronized (this) {
            d.regrant(creatorShare, to, config.enforcing() && to != d.requested());
            d.redecided(r);
        }
        try {
            events.poolRedecided(d, r);
        } catch (Throwable t) {
            Log.failure("redecision events", t);
        }
        if (Log.debugEnabled()) {
            Log.debug("redecided " + d + ": " + from + " -> " + to + " (" + reason.key() + ", demand " + measured + ")");
        }
        bumpNativeGeneration();
    }

    /**
     * {@code future} completes on the current thread. When it is the task this worker runs (not one it
     * completes inline) and nothing else waits in its pool's queue, the worker is idle from now on:
     * uncounted before the outcome is published (at FutureTask.set's entry), so the thread waiting for the
     * result, which may call a BLAS at once, finds the budget back (a large dgemm on main right after a
     * batch in the pool). Back in getTask it finds the queue empty and stays idle, or takes new work and
     * is busy again.
     */
    public void taskCompleting(Object future) {
        WorkerState ws = worker.get();
        if (ws == null || future != ws.currentTask) {
            return;
        }
        ws.currentTask = null;
        if (ws.busy && ws.pool instanceof ThreadPoolExecutor
                && ((ThreadPoolExecutor) ws.pool).getQueue().isEmpty()) {
            if (admission.inUse() && ws.decision.gated() && config.admission()) {
                uncount(ws); // idle for the native settings; its core it keeps (getTask decides)
                ws.betweenTasks = true; // its task is done: descheduled from here on, it is not a task that blocks
            } else {
                taskIdle();
            }
        }
    }

    /**
     * A worker of {@code pool} asks for its next task: it is idle only if none is waiting, since a
     * worker that finds its queue non-empty goes straight on (no idle period to count).
     */
    public void taskMaybeIdle(Object pool) {
        if (pool instanceof java.util.concurrent.ThreadPoolExecutor) {
            java.util.concurrent.BlockingQueue<Runnable> queue = ((java.util.concurrent.ThreadPoolExecutor) pool).getQueue();
            WorkerState ws = admission.inUse() ? worker.get() : null;
            boolean gated = ws != null && ws.decision.gated();
            if (!queue.isEmpty()) {
                if (!gated) {
                    return;
                }
                // work is queued: a gated worker takes it only while it holds a core
                ws.betweenTasks = true;
                if (ws.holding) {
                    if (admission.handOff(ws)) {
                        uncount(ws, false); // it waits for a core without a task: not busy (see below)
                        admission.acquire(ws, false);
                    }
                } else if (config.admission()) {
                    // a worker waiting for a core without a task is not busy: when the batch ends while
                    // it waits, a thread that calls BLAS next must find the budget back
                    uncount(ws, false); // work is queued: not the tail of a batch
                    admission.acquire(ws, false);
                }
                return;
            }
            if (gated && config.admission()) {
                // no work: it waits for work with a core (CpuAdmission.awaitWork), so that new work reaches
                // a worker that may run it at once, not one that must wait for a core with it in hand
                uncount(ws);
                admission.awaitWork(ws);
                return;
            }
        }
        taskIdle();
    }

    /** The current worker found no work and is about to wait. */
    public void taskIdle() {
        WorkerState ws = worker.get();
        if (ws == null) {
            return;
        }
        admission.release(ws);
        uncount(ws);
    }

    /** Ends the busy period of {@code ws}, the current worker, which found no work queued. */
    private void uncount(WorkerState ws) {
        uncount(ws, true);
    }

    /**
     * Ends the busy period of {@code ws}, the current worker (no-op when it is not busy); {@code drained}:
     * it goes idle because nothing is queued for it (the busy workers left are a batch's tail), not to
     * wait for a core with work queued.
     */
    private void uncount(WorkerState ws, boolean drained) {
        if (ws.sampleAt != 0) {
            sampleEnd(ws);
        }
        if (!ws.busy) {
            return;
        }
        ws.busy = false;
        if (ws.counted) {
            // only a busy period that was counted is uncounted: workers already inside a task when
            // counting started (the native layer starts in the background) would drive the count negative
            ws.counted = false;
            int b = (int) (addBusy(-1, -ws.countedShare, drained) >> 32);
            if (b < config.budget()) {
                natives.busyWorkersChanged(Math.max(0, b), config.budget());
            }
        }
    }

    /**
     * The current thread is about to block until {@code future} completes ({@code timed}: with a timeout):
     * if it works for a cut pool and the future is still queued there, it runs the task itself when the wait
     * is untimed, or else starvation relief may grow the pool at once.
     */
    public void futureAwait(Object future, boolean timed) {
        WorkerState ws = worker.get();
        if (ws == null) {
            return;
        }
        if (!timed && relief.active() && config.enforcing() && relief.runAwaitedInWaiter(ws.decision, future)) {
            return; // it computed here, holding what it held: the wait that follows finds the task done
        }
        admission.release(ws); // a waiting holder gives its core to the next task at once
        if (relief.active()) {
            relief.workerAwaits(ws.decision, future);
        }
    }

    /** The current thread left the wait announced by {@link #futureAwait}. */
    public void futureAwaitDone() {
        if (!relief.active()) {
            return;
        }
        WorkerState ws = worker.get();
        if (ws != null) {
            relief.workerAwaitDone(ws.decision);
        }
    }

    /**
     * The number of leaves a parallel stream evaluated on the current thread aims at, given the JDK's
     * {@code leafTarget}. A stream is parallelism nested inside the thread that evaluates it: on a busy
     * worker of a governed pool (not a ForkJoin worker, whose pool's parallelism the JDK uses and the
     * governor already sized) whose native thread count is 1 (the process-wide count for the busy workers
     * when they are counted, else its share), the answer is 1: the pipeline runs whole in the calling
     * thread, and forks nothing onto the common pool. Anywhere else, the JDK's value. Observe mode counts
     * what it would do and changes nothing.
     */
    public int streamLeafTarget(int leafTarget) {
        Config c = config;
        if (leafTarget <= 1 || c.mode() == Mode.OFF || c.pools() == PoolScope.NONE) {
            return leafTarget;
        }
        WorkerState ws = worker.get();
        if (ws == null || !ws.busy || ws.thread instanceof java.util.concurrent.ForkJoinWorkerThread) {
            return leafTarget;
        }
        PoolCharacter ch = ws.decision.demand().character();
        if (ch == PoolCharacter.WAITS || ch == PoolCharacter.MIXED) {
            return leafTarget; // its tasks wait: a stream of waits run in the caller would wait one at a time
        }
        int threads = ws.counted ? processWideThreads() : ws.decision.share();
        if (threads > 1) {
            return leafTarget;
        }
        streamsInCaller.increment();
        return c.enforcing() ? 1 : leafTarget;
    }

    /** Governed workers running a task now (counted once a process-wide native runtime needs it). */
    public int busyWorkers() {
        return Math.max(0, (int) (busy.get() >> 32));
    }

    /**
     * The process-wide native thread count for the busy workers now (both read in one atomic load): see
     * {@link SharePolicy#processWideThreads(int, int, int)}.
     */
    public int processWideThreads() {
        long s = busy.get();
        return SharePolicy.processWideThreads(config.budget(), Math.max(0, (int) (s >> 32)), (int) (s & SHARES),
                (s & DRAINING) != 0);
    }

    /**
     * Adds {@code workers} busy workers holding {@code shares} in one atomic step, and records what this last
     * change was: a worker going idle with nothing queued sets DRAINING; any other change clears it.
     */
    private long addBusy(int workers, int shares, boolean drained) {
        long delta = ((long) workers << 32) + shares;
        for (;;) {
            long s = busy.get();
            long next = ((s & ~DRAINING) + delta) | (drained ? DRAINING : 0);
            if (busy.compareAndSet(s, next)) {
                return next;
            }
        }
    }

    /** True once a worker's busy period was counted: {@link #busyWorkers} is then the live count. */
    public boolean busyCounted() {
        return busyCounted;
    }

    /** The share of the calling thread: its pool's worker share, or the budget outside governed pools. */
    public int currentShare() {
        WorkerState ws = worker.get();
        return ws == null ? config.budget() : ws.decision.share();
    }


    // ---------------------------------------------------------------- report

    public List<PoolDecision> pools() {
        return registry.records();
    }

    public long poolsTotal() {
        return registry.total();
    }

    /** Governed pools not yet garbage collected. */
    public int poolsLive() {
        return registry.liveCount();
    }

    /**
     * Rewrites a live pool's decision after the budget, mode or scope changed at run time (the MXBean):
     * its creator's share and its granted parallelism; applied follows the current mode. The caller resizes
     * the pool itself and then calls {@link #bumpNativeGeneration()} so workers re-apply their share.
     */
    public synchronized void regrant(PoolDecision d, int creatorShare, int granted) {
        d.regrant(creatorShare, granted, config.enforcing() && granted != d.requested());
    }

    /** The report as a map in DESIGN.md's order: budget, mode, jdk, pools, native, then extras. */
    public Map<String, Object> report() {
        Config c = config;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("budget", c.budget());
        m.put("mode", c.mode().key());
        m.put("jdk", System.getProperty("java.version"));
        List<Object> pools = new ArrayList<>();
        for (PoolDecision d : registry.records()) {
            pools.add(poolRecord(d));
        }
        m.put("pools", pools);
        List<Map<String, Object>> nat;
        try {
            nat = natives.records();
        } catch (Throwable t) {
            Log.failure("native report", t);
            nat = List.of();
        }
        m.put("native", nat);
        m.put("budget_source", c.budgetSource());
        m.put("available_processors", c.availableProcessors());
        m.put("pools_mode", c.pools().key());
        m.put("native_mode", c.nativeAuto() ? "auto" : "off");
        m.put("pools_total", registry.total());
        m.put("pools_live", registry.liveCount());
        m.put("busy_workers", busyWorkers());
        m.put("uptime_ms", (System.nanoTime() - startNanos) / 1_000_000);
        m.put("suppressed", Log.failures());
        m.put("relief", relief.counters());
        m.put("admission", admissionReport(c));
        m.put("streams_in_caller", streamsInCaller.sum());
        m.put("gemm_blocks", gemmBlocks.counters());
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("mode", c.demand() ? "on" : "off");
        dm.putAll(demand.counters());
        m.put("demand", dm);
        return m;
    }

    private Map<String, Object> admissionReport(Config c) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("mode", c.admission() ? "on" : "off");
        a.putAll(admission.counters());
        return a;
    }

    static Map<String, Object> poolRecord(PoolDecision d) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", d.kind());
        p.put("creator", d.creator());
        p.put("nested", d.nested());
        p.put("depth", d.depth());
        p.put("requested", d.requested());
        p.put("granted", d.granted());
        p.put("share", d.share());
        p.put("resizable", d.resizable());
        p.put("semantics", d.semantics().key());
        p.put("applied", d.applied());
        if (d.reliefSteps() > 0) {
            p.put("relief_steps", d.reliefSteps());
        }
        String gate = d.gateState();
        if (gate != null) {
            p.put("admission", gate);
        }
        PoolDemand demand = d.demand();
        double measured = demand.demand();
        p.put("character", demand.character().key());
        if (measured >= 0) {
            p.put("demand", Math.round(measured * 100) / 100.0);
        }
        p.put("samples", demand.samples());
        p.put("decided_by", d.decidedBy() == null ? Decision.TOP_LEVEL.key() : d.decidedBy().key());
        List<PoolDecision.Redecision> rs = d.redecisions();
        if (!rs.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (PoolDecision.Redecision r : rs) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("at_ms", r.atMillis);
                e.put("from", r.from);
                e.put("to", r.to);
                e.put("reason", r.reason.key());
                e.put("demand", r.demand < 0 ? -1.0 : Math.round(r.demand * 100) / 100.0);
                list.add(e);
            }
            p.put("redecisions", list);
        }
        return p;
    }

    /** The starvation relief of this governor's cut thread pools. */
    public io.threadgov.governor.relief.StarvationRelief relief() {
        return relief;
    }

    public String reportJson() {
        return Json.write(report());
    }
}
