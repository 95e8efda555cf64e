package io.threadgov.governor;

import io.threadgov.governor.relief.StarvationRelief;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The governor of one JVM: decides the size of every pool the application creates and the share of the
 * core budget each thread may use, and tells the native runtimes.
 *
 * <p>The agent's hooks call it from inside the JDK's pool classes: on pool construction
 * ({@link #decideForkJoin}, {@link #decideThreadPool}, then {@link #register}), when a worker thread starts
 * and ends ({@link #workerStart}, {@link #workerEnd}), and when a worker picks up work or goes idle
 * ({@link #taskStart}, {@link #taskIdle}). None of these throws; the hooks also suppress and count.
 *
 * <p>It is a facade: it keeps each worker's per-thread state and hands the work to the parts.
 * {@link PoolDecider} decides and records new pools by {@link SharePolicy}; {@link BusyWorkers} counts the
 * busy workers the process-wide native runtimes follow; {@link TaskSampler} measures what workers do for
 * {@link DemandDecider}, which re-decides live pools; {@link CpuAdmission} gates the workers of large top-level
 * pools; {@link StarvationRelief} grows cut pools that starve (and tells {@link ReliefListener});
 * {@link GovernorReport} writes the report. A live pool's decision is rewritten under this object's lock.
 */
public final class Governor {

    /*
     * Concurrency overview.
     *
     * Per-thread state (WorkerState) lives in a ThreadLocal and is touched only by its own thread (CpuAdmission
     * says which of its fields it shares): which pool the thread works for, whether it is busy, and the native
     * share last applied to it. The one shared mutable state on a task's path is the busy-worker count, whose
     * invariants and ordering BusyWorkers owns.
     *
     * Pool decisions are created on the creating thread and published to workers through the registry,
     * whose monitor orders the put (creator, before the constructor returns) before any get (a worker,
     * which can only start after the constructor returned). A decision's granted/share fields are
     * volatile: relief, demand and budget changes rewrite them under this governor's lock; workers read them
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
    private final BusyWorkers busy;
    /** Parallel streams run whole in their calling worker (or that would have been, in observe mode). */
    private final LongAdder streamsInCaller = new LongAdder();
    private volatile NativeControl natives = NativeControl.NONE;
    /** The agent's "finish your start" action (DeferredStart): null until installed, and for tests. */
    private volatile Runnable startGate;
    private volatile EventSink events = EventSink.NONE;
    private volatile int nativeGeneration;
    /** config.demand(), read on every task: kept apart so the task path reads one field. */
    private volatile boolean demandOn;
    private final long startNanos = System.nanoTime();
    private final StarvationRelief relief;
    private final CpuAdmission admission;
    private final GemmBlocks gemmBlocks = new GemmBlocks(this);
    private final DemandDecider demand;
    private final TaskSampler sampler;
    private final SubmissionWatch submissions = new SubmissionWatch(registry);
    private final PoolDecider decider;
    private final NativeCallers callers = new NativeCallers();
    private final ForeignPools foreign = new ForeignPools();
    /** Host scope only (else null): the live governed workers, so that its tick can leave out the parked ones. */
    private final java.util.Set<WorkerState> liveWorkers;
    /** Host scope only: how often the dormant workers changed (computingThreads, the tick alone writes it). */
    private volatile long dormantChanges;
    /**
     * Consecutive looks (10 ms apart) a counted worker is found parked before it leaves the process-wide native count:
     * a message loop parks for seconds, a computing worker waits on a lock or a future for far less.
     */
    static final int DORMANT_LOOKS = 10;
    /** Host scope's record for the report (HostBudget.record), or null under jvm scope. */
    private volatile java.util.function.Supplier<Map<String, Object>> host;

    public Governor(Config config) {
        this.config = config;
        // busy workers drive the process-wide native settings, and a worker already inside a long task
        // when a runtime is found could never be counted: count from the start whenever native governing
        // is on. It costs two atomic updates per real idle period, none while a worker finds work waiting.
        this.busy = new BusyWorkers(config.enforcing() && config.nativeAuto());
        this.demandOn = config.demand();
        this.liveWorkers = config.scope() == BudgetScope.HOST
                ? java.util.concurrent.ConcurrentHashMap.<WorkerState>newKeySet() : null;
        // anonymous classes, not lambdas: no invokedynamic bootstrap on the agent's start path
        LongSupplier clock = new LongSupplier() {
            @Override
            public long getAsLong() {
                return System.nanoTime();
            }
        };
        LongSupplier starvation = new LongSupplier() {
            @Override
            public long getAsLong() {
                return Governor.this.config.starvationMillis();
            }
        };
        this.relief = new StarvationRelief(clock, starvation, new ReliefListener(this));
        this.demand = new DemandDecider(this, relief);
        this.sampler = new TaskSampler(demand);
        this.admission = new CpuAdmission(config.budget(), clock, starvation, new ThreadCpuClock());
        this.decider = new PoolDecider(this, registry, relief, admission, demand, submissions);
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

    /** The budget B. */
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
        this.demandOn = c.demand();
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
            busy.startCounting();
        }
    }

    /** A library load starts or ends on the current thread (any thread): demand samples running now are dropped. */
    public void libraryEvent() {
        sampler.libraryEvent();
    }

    /**
     * The current thread's library load ended (the load that brought a runtime, or a wait for another thread's):
     * a busy governed worker applies its share now rather than at its next task, so the task that loads a runtime
     * (XGBoost's first training loads libgomp) already runs its teams at the share.
     */
    public void libraryLoadEnded() {
        WorkerState ws = worker.get();
        if (ws != null) {
            refreshNativeShare(ws);
        }
    }

    /**
     * A busy worker whose native settings are older than the runtimes found applies its share now: at each task
     * start, when a load ends on it, and at each wrapped native call: a worker that waited for another's load (in a
     * class initialiser, which passes no load hook) is brought up to date before its first call runs (XGBoost's
     * first trainings).
     */
    private void refreshNativeShare(WorkerState ws) {
        int gen = nativeGeneration;
        if (!ws.busy || ws.nativeGeneration == gen) {
            return;
        }
        ws.nativeGeneration = gen;
        // applied on every generation change, even with the same share: a runtime found since needs the value
        // too (the native layer caches per thread, so an unchanged value is free)
        if (config.enforcing() && config.nativeAuto()) {
            natives.applyToCurrentThread(ws.decision.share());
        }
    }

    // ---------------------------------------------------------------- pool decisions

    /** Decides a ForkJoinPool asking for {@code parallelism}, on the creating thread. */
    public PoolDecision decideForkJoin(int parallelism) {
        return decider.decide(PoolDecision.Family.FORK_JOIN, parallelism, PoolSemantics.FORK_JOIN, worker.get());
    }

    /**
     * Decides a ThreadPoolExecutor, on the creating thread. {@code queueCapacity} is the work queue's
     * remaining capacity plus its size ({@code Integer.MAX_VALUE} or more when unbounded).
     */
    public PoolDecision decideThreadPool(int core, int max, long queueCapacity) {
        return decider.decide(PoolDecision.Family.THREAD_POOL, SharePolicy.threadPoolRequested(core, max, queueCapacity),
                SharePolicy.threadPoolSemantics(core, max, queueCapacity), worker.get());
    }

    /** Records {@code pool} with its decision, once its constructor has run. */
    public void register(Object pool, PoolDecision d) {
        decider.register(pool, d);
    }

    /** The decision recorded for a live pool, or null. */
    public PoolDecision decisionOf(Object pool) {
        return registry.get(pool);
    }

    /** Visits every live pool the governor knows, with its decision. */
    public void forEachPool(BiConsumer<Object, PoolDecision> action) {
        registry.forEachLive(action);
    }

    /**
     * The current thread submits a task to {@code pool} (ThreadPoolExecutor.execute): a pool cut to its creator's
     * share is re-decided when it is fed by a thread of a larger share, as a pool is judged by its users, not
     * only its birthplace. One volatile read until some such pool was cut; then a cached look-up per submission.
     */
    public void submitted(Object pool) {
        PoolDecision target = submissions.decisionOf(pool);
        if (target == null) {
            return;
        }
        WorkerState ws = worker.get();
        if (ws != null && ws.decision != target) {
            TaskSampler.drop(ws); // it feeds another pool and will wait for that work (see TaskSampler.drop)
        }
        PoolDecision d = SubmissionWatch.redecidable(target);
        if (d == null) {
            return;
        }
        int share = ws == null ? config.budget() : ws.decision.share();
        if (share > d.creatorShare()) {
            demand.fedBy(d, share, ws == null);
        }
    }
    /** Whether {@link #submitted} has work to do: a pool its users may re-decide was cut. */
    public boolean watchesSubmissions() {
        return submissions.watching();
    }


    /**
     * Rewrites a live pool's decision after the budget, mode or scope changed at run time (the MXBean):
     * its creator's share and its granted parallelism; applied follows the current mode. The caller resizes
     * the pool itself and then calls {@link #bumpNativeGeneration()} so workers re-apply their share.
     */
    public synchronized void regrant(PoolDecision d, int creatorShare, int granted) {
        d.regrant(creatorShare, granted, config.enforcing() && granted != d.requested());
    }

    /**
     * Records a re-decision of {@code d} that its pool's resize has applied (called under the pool's relief lock):
     * its creator's share and grant, the record, the event; workers re-apply their share at their next task.
     */
    void redecided(PoolDecision d, int creatorShare, int from, int to, Decision reason, double measured) {
        PoolDecision.Redecision r = new PoolDecision.Redecision(uptimeMillis(), from, to, reason, measured);
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

    // ---------------------------------------------------------------- worker threads

    /** The current thread starts working for {@code pool}. */
    public void workerStart(Object pool) {
        PoolDecision d = registry.get(pool);
        if (d == null && pool instanceof ForkJoinPool && pool == ForkJoinPool.commonPool()) {
            d = decider.commonPool((ForkJoinPool) pool);
        }
        if (d == null) {
            return;
        }
        WorkerState ws = new WorkerState(d);
        ws.pool = pool;
        worker.set(ws);
        if (liveWorkers != null) {
            liveWorkers.add(ws);
        }
        if (relief.active()) {
            relief.workerStarted(d, Thread.currentThread());
        }
        taskStart();
    }

    /** The current thread stops working for its pool. */
    public void workerEnd() {
        WorkerState ws = worker.get();
        if (ws != null) {
            taskIdle();
            worker.remove();
            if (liveWorkers != null) {
                liveWorkers.remove(ws);
            }
            if (relief.active()) {
                relief.workerEnded(ws.decision, Thread.currentThread());
            }
        }
    }

    /** The current worker picked up work: count it busy and bring its native share up to date. */
    public void taskStart() {
        WorkerState ws = worker.get();
        if (ws != null) {
            taskStart(ws);
        }
    }

    /**
     * The current worker of a ThreadPoolExecutor took {@code task} from its queue: {@link #taskStart()} and
     * {@link #taskRunning} in one hook (one thread-local read), at getTask's return, outside the worker's lock.
     */
    public void taskGot(Object task) {
        WorkerState ws = worker.get();
        if (ws != null) {
            taskStart(ws);
            running(ws, task);
        }
    }

    private void taskStart(WorkerState ws) {
        if (ws.betweenTasks) {
            ws.betweenTasks = false;
        }
        if (!ws.busy) {
            ws.busy = true;
            ws.awaitUncounted = false;
            if (ws.decision.family() == PoolDecision.Family.FORK_JOIN && demandOn) {
                int n = ++ws.tasksSeen;
                if (TaskSampler.candidate(n)) {
                    sampler.start(ws, n); // a ForkJoin worker's busy period: from work found to its next wait for work
                }
            }
            if (busy.counting()) {
                int b = busy.add(ws);
                if (busy.computing(b) <= config.budget()) { // past the budget the process-wide count is 1 whatever b is
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
        refreshNativeShare(ws); // busy by now
    }

    /** The current worker of a ThreadPoolExecutor is about to run {@code task}: its first one (not from the queue). */
    public void taskRunning(Object task) {
        WorkerState ws = worker.get();
        if (ws != null) {
            running(ws, task);
        }
    }

    private void running(WorkerState ws, Object task) {
        ws.currentTask = task;
        if (TaskSampler.running(ws)) {
            sampler.end(ws); // its previous task ended: the worker went straight on to this one
        }
        int n = ++ws.tasksSeen;
        if (TaskSampler.candidate(n) && demandOn) {
            sampler.start(ws, n);
        }
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
                && nothingDue(((ThreadPoolExecutor) ws.pool).getQueue())) {
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
        if (pool instanceof ThreadPoolExecutor) {
            BlockingQueue<Runnable> queue = ((ThreadPoolExecutor) pool).getQueue();
            WorkerState ws = admission.inUse() ? worker.get() : null;
            boolean gated = ws != null && ws.decision.gated();
            if (!nothingDue(queue)) {
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

    /**
     * Whether a pool's queue holds no task a worker could run now. A ScheduledThreadPoolExecutor's queue holds its
     * periodic and delayed tasks between runs: a worker that finds only tasks not yet due waits, and is idle (else
     * the workers of a scheduled pool with periodic tasks, such as Tomcat's two Catalina-utility threads, stayed
     * counted busy for good, and a lone thread calling BLAS got the budget divided by them).
     */
    static boolean nothingDue(BlockingQueue<Runnable> queue) {
        if (queue.isEmpty()) {
            return true;
        }
        if (!queue.getClass().getName().equals("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue")) {
            return false;
        }
        Runnable head = queue.peek(); // the earliest due
        return head instanceof Delayed && ((Delayed) head).getDelay(TimeUnit.NANOSECONDS) > 0;
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
        if (TaskSampler.running(ws)) {
            sampler.end(ws);
        }
        if (!ws.busy) {
            return;
        }
        ws.busy = false;
        int b = busy.remove(ws, drained);
        if (b >= 0 && busy.computing(b) < config.budget()) {
            natives.busyWorkersChanged(b, config.budget());
        }
    }

    /**
     * The current thread is about to block until {@code future} completes ({@code timed}: with a timeout):
     * if it works for a cut pool and the future is still queued there, it runs the task itself when the wait
     * is untimed, or else starvation relief may grow the pool at once.
     */
    public void futureAwait(Object future, boolean timed) {
        WorkerState ws = worker.get();
        if (ws == null || ws.foreign) {
            return;
        }
        if (!timed && relief.active() && config.enforcing() && relief.runAwaitedInWaiter(ws.decision, future)) {
            return; // it computed here, holding what it held: the wait that follows finds the task done
        }
        admission.release(ws); // a waiting holder gives its core to the next task at once
        if (ws.counted && demandOn) {
            // it waits for another task: it needs no core meanwhile, so the threads that compute split the
            // cores among themselves (counted again when the wait ends)
            ws.awaitUncounted = true;
            int b = busy.remove(ws, false);
            if (b >= 0 && busy.computing(b) < config.budget()) {
                natives.busyWorkersChanged(b, config.budget());
            }
        }
        if (relief.active()) {
            relief.workerAwaits(ws.decision, future);
        }
    }

    /** The current thread left the wait announced by {@link #futureAwait}. */
    public void futureAwaitDone() {
        WorkerState ws = worker.get();
        if (ws != null && ws.awaitUncounted) {
            ws.awaitUncounted = false;
            if (ws.busy && busy.counting() && !ws.counted) {
                int b = busy.add(ws);
                if (busy.computing(b) <= config.budget()) {
                    natives.busyWorkersChanged(b, config.budget());
                }
            }
        }
        if (!relief.active()) {
            return;
        }
        if (ws != null && !ws.foreign) {
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
        if (ws != null && ws.foreign) {
            // a thread of another library's pool is never counted busy: its stream splits only while the
            // threads counted busy with it leave it more than one core
            if (SharePolicy.processWideThreads(c.budget(), busy.busy() + 1) > 1) {
                return leafTarget;
            }
            streamsInCaller.increment();
            return c.enforcing() ? 1 : leafTarget;
        }
        if (ws == null || !ws.busy || ws.thread instanceof ForkJoinWorkerThread) {
            return leafTarget;
        }
        if (ws.decision.demand().character() == PoolCharacter.WAITS) {
            // its tasks wait: a stream of waits run in the caller would wait one at a time. Only a clear wait:
            // a pool's first tasks also wait on class initialisation and safepoints, and a mixed pool's
            // streams that split would make it read lower still
            return split(ws, leafTarget);
        }
        int threads = ws.counted ? processWideThreads() : ws.decision.share();
        if (threads > 1) {
            return split(ws, leafTarget);
        }
        streamsInCaller.increment();
        return c.enforcing() ? 1 : leafTarget;
    }

    /**
     * A stream on worker {@code ws} splits as the JDK decides: the task then waits for the stream's other
     * threads, which says nothing of what the task itself does, so its running demand sample is dropped (else a
     * pool of computing streams that split at a batch's tail would read as waiting, keep splitting, and read
     * lower still).
     */
    private static int split(WorkerState ws, int leafTarget) {
        TaskSampler.drop(ws);
        return leafTarget;
    }

    // ---------------------------------------------------------------- native callers, foreign pools

    /**
     * The current thread enters a governed native BLAS call (the agent wraps the BLAS bindings' natives). A thread
     * no busy pool worker accounts for (main, a plain thread, a web server's or a coroutine's thread) competes for
     * the cores as a busy worker does: it is counted busy holding the budget for the length of the call, so the
     * process-wide native count follows every thread that computes at once, and a lone caller keeps the budget.
     * Returns what {@link #nativeExit} takes back: 0 when nothing was counted (a counted worker, or no counting).
     */
    public int nativeEnter() {
        WorkerState ws = worker.get();
        if (ws != null) {
            refreshNativeShare(ws);
        }
        if (ws != null && ws.counted || !busy.counting()) {
            return 0;
        }
        Config c = config;
        int budget = c.budget();
        int b = busy.computing(busy.addCaller(budget));
        callers.entered(b);
        if (b <= budget) { // past the budget the process-wide count is 1 whatever b is (see taskStart)
            natives.callersChanged(callers.mayRaise(b));
        }
        if ((ws == null || ws.foreign) && c.enforcing() && c.nativeAuto()) {
            // its per-thread runtimes (an OpenMP BLAS) run at the count the process-wide ones get
            natives.applyToCurrentThread(processWideThreads());
        }
        return budget;
    }

    /**
     * The current thread left the native call {@link #nativeEnter} returned {@code token} for. The count is not raised
     * here: when it rises again is {@link NativeCallers}'s rule (a lone caller at once, others after a grace).
     */
    public void nativeExit(int token) {
        if (token <= 0) {
            return;
        }
        int b = busy.computing(busy.removeCaller(token));
        callers.exited(b, raiseWhenIdle);
    }

    /** The raiser's look: the callers all stayed out, nothing else is busy: the budget again. */
    private final Runnable raiseWhenIdle = new Runnable() {
        @Override
        public void run() {
            if (busy.computing(busy.busy()) == 0) {
                natives.callersChanged(true);
            }
        }
    };

    /**
     * The current thread runs the worker loop of another library's pool of {@code kind} ({@link ForeignPools.Kind}
     * key); {@code hooked} is what the loop's hook sees (the pool, or a member of it). From now on this thread
     * holds the share of a top-level pool of that pool's size. Once per thread; the pool is never resized.
     */
    public void foreignThread(String kind, Object hooked) {
        if (worker.get() != null) {
            return;
        }
        ForeignPools.Kind k = ForeignPools.Kind.of(kind);
        Object pool;
        try {
            pool = k == null ? null : k.poolOf(hooked);
        } catch (ReflectiveOperationException e) {
            Log.debug("foreign pool of " + hooked + ": " + e);
            return;
        }
        if (pool == null) {
            return;
        }
        ForeignPools.Entry e = foreign.register(k, pool, size -> decider.foreign(pool, size));
        if (e == null) {
            return;
        }
        WorkerState ws = new WorkerState(e.decision);
        ws.pool = pool;
        ws.foreign = true;
        worker.set(ws);
        e.threads.incrementAndGet();
    }

    /** Governed workers running a task now (counted once a process-wide native runtime needs it). */
    public int busyWorkers() {
        return busy.busy();
    }

    /**
     * The threads that compute now, host scope's demand: the busy workers and native callers ({@link #busyWorkers})
     * less the counted workers that are parked, waiting or blocked on a monitor at this moment. A task that never
     * ends and waits for its next message inside (a Spark executor's dispatcher loop in
     * {@code LinkedBlockingQueue.take}) is busy for its pool but holds no core, and counting it would give
     * the JVMs that compute a smaller part of the host. A thread blocked in a socket read is RUNNABLE to the JVM
     * and still counts. Thread states and {@code counted} are read racily: a sample of the moment, as the tick
     * wants; under jvm scope, {@link #busyWorkers}.
     *
     * <p>Host scope's tick calls this once per look, and it also renews the dormant snapshot: the counted workers
     * (admission holders aside, counted on purpose) found parked at {@link #DORMANT_LOOKS} consecutive looks leave
     * the process-wide native count too, so that a lone task beside Spark's dispatcher loops runs its BLAS at the
     * budget. A snapshot, not a count kept on transitions: a worker that wakes or ends is back in the count at the
     * next look (10 ms), and nothing can leak.
     */
    public int computingThreads() {
        int b = busy.busy();
        java.util.Set<WorkerState> live = liveWorkers;
        if (live == null) {
            return b;
        }
        int parked = 0;
        int dormantWorkers = 0;
        int dormantShares = 0;
        for (WorkerState ws : live) {
            Thread.State s = ws.counted ? ws.thread.getState() : Thread.State.RUNNABLE;
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED) {
                parked++;
                if (++ws.parkedLooks >= DORMANT_LOOKS && !ws.holding) {
                    dormantWorkers++;
                    dormantShares += ws.countedShare;
                }
            } else if (ws.parkedLooks != 0) {
                ws.parkedLooks = 0; // written only when it changes: a computing worker's state is its own cache line
            }
        }
        if (busy.dormant(dormantWorkers, dormantShares)) {
            dormantChanges++;
            natives.busyWorkersChanged(busy.busy(), config.budget()); // applies the count read again under its monitor
        }
        return Math.max(0, b - parked);
    }

    /** The dormant workers now (host scope; 0 under jvm scope), for the report. */
    public int dormantWorkers() {
        return busy.dormantWorkers();
    }

    /** How often the dormant snapshot changed (host scope), for the report. */
    public long dormantChanges() {
        return dormantChanges;
    }

    /**
     * The process-wide native thread count for the busy workers now (both read in one atomic load): see
     * {@link SharePolicy#processWideThreads(int, int, int)}.
     */
    public int processWideThreads() {
        return busy.processWideThreads(config.budget());
    }

    /** True once a worker's busy period was counted: {@link #busyWorkers} is then the live count. */
    public boolean busyCounted() {
        return busy.everCounted();
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

    /** The starvation relief of this governor's cut thread pools. */
    public StarvationRelief relief() {
        return relief;
    }

    /** The report as a map in DESIGN.md's order: budget, mode, jdk, pools, native, then extras. */
    public Map<String, Object> report() {
        return GovernorReport.of(this);
    }

    public String reportJson() {
        return Json.write(report());
    }

    /** Milliseconds since this governor started. */
    long uptimeMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    long streamsInCaller() {
        return streamsInCaller.sum();
    }

    /** Under host scope: what the report's {@code host} shows (null: jvm scope, or host scope refused). */
    public void host(java.util.function.Supplier<Map<String, Object>> record) {
        this.host = record;
    }

    /** The report's {@code host} object, or null under jvm scope. */
    public Map<String, Object> hostRecord() {
        java.util.function.Supplier<Map<String, Object>> h = host;
        return h == null ? null : h.get();
    }

    NativeCallers nativeCallers() {
        return callers;
    }

    ForeignPools foreignPools() {
        return foreign;
    }

    CpuAdmission admission() {
        return admission;
    }

    DemandDecider demand() {
        return demand;
    }
}
