package io.threadgov.governor.relief;

import io.threadgov.governor.Log;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Starvation relief: a ThreadPoolExecutor the governor cut must never deadlock where the uncut pool
 * would not. When all its workers are blocked inside tasks while tasks wait in its queue for longer
 * than {@code threadgov.starvation} ms, it is grown back one worker at a time toward the size the
 * application asked for; when the pressure is gone it is shrunk back, one worker at a time, to the
 * size the governor granted. Every step is reported to a {@link Listener}.
 *
 * <p><b>Only ThreadPoolExecutors.</b> ForkJoin pools are never resized here: a ForkJoinPool already
 * compensates for blocking itself ({@code join()} of a task it cannot help with, and
 * {@link java.util.concurrent.ForkJoinPool.ManagedBlocker} waits, which {@code CompletableFuture},
 * {@code Phaser} and, from JDK 19, most of {@code java.util.concurrent}'s waits use, add spare threads
 * up to its own limit). Adding threads from outside would fight that mechanism and double-count: the
 * pool would grow twice for one block. A task that blocks a ForkJoin worker in an unmanaged wait
 * (a plain {@code Future.get()} of a {@code FutureTask}, a socket read) can starve the pool with or
 * without the agent; that is the JDK's documented behaviour, and the agent does not change it.
 *
 * <p>Which pools: {@link #track} is called by the governor for each ThreadPoolExecutor it cut in
 * enforce mode (only fixed pools with unbounded queues are ever cut, so growing one never changes
 * which tasks are accepted or rejected). Pools are held weakly; a pool that is collected or terminated
 * is dropped at the next scan. A pool whose core or maximum size the application changed itself is
 * dropped too: the application took over.
 *
 * <p>Without a new thread: a worker about to block in an untimed {@code Future.get()} on a task still
 * queued in its own cut pool takes the task out of the queue and runs it itself, as a ForkJoin worker
 * helps the task it joins ({@link #runAwaitedInWaiter}). The task would have run on a worker of that very
 * pool; the waiter would have sat idle until it did. Only for pools of class ThreadPoolExecutor itself (a
 * subclass's beforeExecute/afterExecute would not see the task), not for a timed wait (it would outlast its
 * timeout) nor an interrupted waiter (its get() must throw).
 *
 * <p>At once: a worker about to block in {@code Future.get()} on a task still queued in its own cut pool
 * that it could not run itself, while the pool's other workers are blocked too, grows the pool by one on
 * the spot ({@link #workerAwaits}).
 *
 * <p>Which workers: the governor calls {@link #workerStarted} on each worker thread as it starts and
 * {@link #workerEnded} as it leaves, so each tracked pool knows its live worker threads (a concurrent
 * set; threads found dead at a scan are removed as well).
 */
public final class StarvationRelief {

    /*
     * Concurrency. One daemon thread, "threadgov-relief" (a plain Thread: the agent never creates a pool),
     * is started lazily by the first track() and scans every starvation/4 ms. It is the only thread that
     * runs the policies and resizes pools. track(), workerStarted() and workerEnded() run on application
     * threads and touch only the concurrent map and the concurrent worker sets. When nothing is tracked
     * the thread waits on this object's monitor until track() notifies it, so an application without cut
     * pools pays no wake-ups. workerAwaits() runs on the blocking worker; it and the scan take the tracked
     * pool's monitor around the policy and the resize, so the two never step one pool at once.
     * runAwaitedInWaiter() also runs on the waiting worker and takes no lock of ours: the queue's remove()
     * is atomic, so exactly one thread, the waiter or a worker that polled the task first, runs a task (and
     * FutureTask.run runs a task once in any case). scanOnce() is public so a test can drive the logic with its own clock
     * without the thread.
     *
     * A sample reads, without any lock of the pool's: the queue size, the worker threads' states, and,
     * only when tasks are queued, getActiveCount()/getPoolSize()/getCompletedTaskCount() (which take the
     * pool's main lock briefly). Resizing calls the pool's own public setters, which are thread-safe:
     * growing sets the maximum first then the core (the core start a worker at once, which takes a queued
     * task); shrinking sets the core first then the maximum (surplus workers exit when idle).
     */

    /** Told of every step; never throws (a failure is counted as stage "relief"). */
    public interface Listener {
        void stepped(Object key, int from, int to, long blockedMillis, int queued);

        /** The calling thread's kernel id, for {@link #schedstat} (-1: demand is not measured). */
        default int currentTid() {
            return -1;
        }

        /**
         * What thread {@code t} (kernel id {@code tid}) did so far: {run ns, run-queue ns, voluntary context
         * switches}; null when unknown.
         */
        default long[] schedstat(Thread t, int tid) {
            return null;
        }

        /** Whether thread {@code tid} is runnable to the OS now (on a core or in a run queue). */
        default boolean runnable(int tid) {
            return false;
        }

        /**
         * The workers of the pool known by {@code key}, all inside tasks with tasks queued, spent
         * {@code wallNanos} outside run queues, of which they ran {@code ranNanos} (summed over them), since the
         * last scan.
         */
        default void demand(Object key, long wallNanos, long ranNanos) {
        }

        /**
         * Whether a measure of the pool known by {@code key} would be used by {@link #demand} now: when not, a
         * scan reads nothing of its workers (two /proc reads a worker, every scan).
         */
        default boolean measures(Object key) {
            return true;
        }
    }

    /** Runs under the tracked pool's lock right after a {@link #resize}. */
    public interface Resized {
        void resized(int from, int to);
    }

    private final Map<Object, Tracked> tracked = new ConcurrentHashMap<>();
    private final LongSupplier nanos;
    private final LongSupplier starvationMillis;
    private final Listener listener;
    private final AtomicLong grows = new AtomicLong();
    private final AtomicLong shrinks = new AtomicLong();
    private final AtomicLong pools = new AtomicLong();
    private final AtomicLong ranInWaiter = new AtomicLong();
    private volatile Thread monitor;
    private volatile boolean failed;

    /**
     * @param nanos the clock (System::nanoTime outside tests)
     * @param starvationMillis the starvation window, read at each track (the configuration may change)
     */
    public StarvationRelief(LongSupplier nanos, LongSupplier starvationMillis, Listener listener) {
        this.nanos = nanos;
        this.starvationMillis = starvationMillis;
        this.listener = listener;
    }

    /**
     * Starts watching {@code pool}, which the governor sized {@code granted} of the {@code requested} it asked
     * for; granted may equal requested (a pool born at its size whose demand may still cut it: {@link #resize}).
     */
    public void track(ThreadPoolExecutor pool, Object key, int granted, int requested) {
        if (failed) {
            return;
        }
        long window = Math.max(1, starvationMillis.getAsLong()) * 1_000_000L;
        tracked.put(key, new Tracked(pool, new ReliefPolicy(granted, requested, window, 10 * window)));
        pools.incrementAndGet();
        ensureMonitor();
    }

    /** Whether any pool is tracked now (a cheap check for the hot paths). */
    public boolean active() {
        return !tracked.isEmpty();
    }

    /** The current thread became a worker of the pool known by {@code key}. */
    public void workerStarted(Object key, Thread t) {
        Tracked p = tracked.get(key);
        if (p != null) {
            // the kernel's id serves measureWaiting, which looks at cut pools only
            ReliefPolicy policy = p.policy;
            p.workers.put(t, new Mark(policy.size() < policy.requested() ? listener.currentTid() : -1));
        }
    }

    /** The current thread stopped being a worker of the pool known by {@code key}. */
    public void workerEnded(Object key, Thread t) {
        Tracked p = tracked.get(key);
        if (p != null) {
            p.workers.remove(t);
            p.awaiting.remove(t);
        }
    }

    /**
     * The current thread, a worker of the cut pool known by {@code key}, is about to block without a
     * timeout until {@code future} completes: when that future is a task still queued in the same pool
     * (of class ThreadPoolExecutor itself), this thread removes it from the queue and runs it, and returns
     * true (the wait then finds it done). False, having done nothing, otherwise. The queue search is linear,
     * and only happens when a tracked pool's worker blocks on a future.
     */
    public boolean runAwaitedInWaiter(Object key, Object future) {
        Tracked p = tracked.get(key);
        if (p == null || !(future instanceof java.util.concurrent.RunnableFuture)) {
            return false;
        }
        ThreadPoolExecutor pool = p.pool.get();
        if (pool == null || pool.getClass() != ThreadPoolExecutor.class || pool.isShutdown()
                || Thread.currentThread().isInterrupted() || !pool.remove((Runnable) future)) {
            return false; // remove() is atomic: a worker that took it first runs it, and this thread waits
        }
        ranInWaiter.incrementAndGet();
        ((Runnable) future).run(); // FutureTask.run catches what the task throws: get() rethrows it
        return true;
    }

    /**
     * The current thread, a worker of the pool known by {@code key}, is about to block until {@code future}
     * completes. If that future is a task still queued in the same pool and every other worker of the pool
     * is blocked as well, the pool cannot progress until it grows: it grows by one now, on this thread,
     * instead of after the starvation window (a nested pool whose tasks {@code get()} a sibling submitted
     * after them stalls for one window per pool otherwise). The queue search is linear, and only happens
     * when a tracked pool's worker blocks on a future.
     */
    public void workerAwaits(Object key, Object future) {
        Tracked p = tracked.get(key);
        if (p == null) {
            return;
        }
        Thread self = Thread.currentThread();
        p.awaiting.add(self);
        ThreadPoolExecutor pool = p.pool.get();
        if (pool == null || pool.isShutdown() || !(future instanceof Runnable) || !pool.getQueue().contains(future)) {
            return;
        }
        // another worker that is RUNNABLE and not inside a Future wait may still take the task: look again
        // for up to AWAIT_CHECKS x 100 us (this thread is about to block anyway); the scan's window still
        // covers a pool this gives up on
        for (int attempt = 0; !othersBlocked(p, self); attempt++) {
            if (attempt == AWAIT_CHECKS || !pool.getQueue().contains(future)) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000L);
        }
        synchronized (p) {
            ReliefPolicy policy = p.policy;
            int size = policy.size();
            if (size >= policy.requested() || pool.getCorePoolSize() != size || pool.getMaximumPoolSize() != size
                    || !pool.getQueue().contains(future)) {
                return;
            }
            int queued = pool.getQueue().size();
            grow(pool, size + 1);
            policy.resized(size + 1);
            grows.incrementAndGet();
            listener.stepped(key, size, size + 1, 0, queued);
        }
    }

    private static final int AWAIT_CHECKS = 20;
    private static final long SCAN_MAX_MILLIS = 10;

    /** The current thread, a worker of the pool known by {@code key}, left a Future wait. */
    public void workerAwaitDone(Object key) {
        Tracked p = tracked.get(key);
        if (p != null) {
            p.awaiting.remove(Thread.currentThread());
        }
    }

    /**
     * Every other worker is blocked: not RUNNABLE, or inside a Future wait (where it is RUNNABLE for a
     * moment before it parks, longer on a loaded machine).
     */
    private static boolean othersBlocked(Tracked p, Thread self) {
        for (Thread t : p.workers.keySet()) {
            Thread.State s = t.getState();
            if (t != self && (s == Thread.State.RUNNABLE || s == Thread.State.NEW) && !p.awaiting.contains(t)) {
                return false;
            }
        }
        return true;
    }

    /** Pools tracked now. */
    public int trackedCount() {
        return tracked.size();
    }

    /** Counters for the report: pools tracked so far, grow and shrink steps. */
    public Map<String, Object> counters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pools_tracked", pools.get());
        m.put("live_tracked", tracked.size());
        m.put("grow_steps", grows.get());
        m.put("shrink_steps", shrinks.get());
        m.put("ran_in_waiter", ranInWaiter.get());
        m.put("monitor", monitor != null);
        return m;
    }

    /** The monitor thread, or null before the first cut pool. */
    public Thread monitorThread() {
        return monitor;
    }

    /** One scan over the tracked pools: samples each, resizes where its policy says so. */
    public void scanOnce() {
        long now = nanos.getAsLong();
        for (Map.Entry<Object, Tracked> e : tracked.entrySet()) {
            Tracked p = e.getValue();
            try {
                ThreadPoolExecutor pool = p.pool.get();
                if (pool == null || pool.isTerminated()) {
                    tracked.remove(e.getKey(), p);
                    continue;
                }
                synchronized (p) {
                    scan(e.getKey(), p, pool, now);
                }
            } catch (Throwable t) {
                tracked.remove(e.getKey(), p);
                Log.failure("relief", t);
            }
        }
    }

    private void scan(Object key, Tracked p, ThreadPoolExecutor pool, long now) {
        ReliefPolicy policy = p.policy;
        int size = policy.size();
        if (pool.getCorePoolSize() != size || pool.getMaximumPoolSize() != size) {
            tracked.remove(key, p); // the application resized the pool itself
            return;
        }
        p.workers.keySet().removeIf(t -> !t.isAlive());
        p.awaiting.removeIf(t -> !t.isAlive());
        int queued = pool.getQueue().size();
        boolean allBlocked = false;
        boolean idle = false;
        long completed = 0;
        if (queued > 0) {
            allBlocked = allWorkersBlocked(p, pool);
            completed = pool.getCompletedTaskCount();
        } else if (size > policy.granted()) {
            idle = pool.getActiveCount() < pool.getPoolSize();
        }
        if (queued > 0 && size < policy.requested() && listener.measures(key)) {
            measureWaiting(key, p, now);
            if (policy.size() != size) {
                return; // the demand re-decided it (resize() ran under this lock)
            }
        } else if (p.marked) {
            p.marked = false;
            for (Mark m : p.workers.values()) {
                m.atNanos = 0;
            }
        }
        long blocked = policy.starvingNanos(now);
        ReliefPolicy.Step step = policy.observe(now, queued, allBlocked, idle, completed);
        if (step == ReliefPolicy.Step.GROW) {
            grow(pool, size + 1);
            policy.resized(size + 1);
            grows.incrementAndGet();
            listener.stepped(key, size, size + 1, blocked / 1_000_000, queued);
        } else if (step == ReliefPolicy.Step.SHRINK && !pool.isShutdown()) {
            shrink(pool, size - 1);
            policy.resized(size - 1);
            shrinks.incrementAndGet();
            listener.stepped(key, size, size - 1, 0, 0);
        }
    }

    /**
     * A cut pool with tasks queued: every worker is inside a task. How much they ran tells whether they compute
     * or wait long before a task that blocks for seconds ends: once {@link #WAIT_WINDOW_NANOS} per worker have
     * passed since the marks, a clear wait (they ran less than a quarter of the window outside run queues, even
     * counting each worker a lagging scheduler tick more, and none is runnable now) is told to the listener;
     * anything else starts a new window. Only clear waits: Linux
     * accounts a running thread's time at its ticks, so a short window of a computing thread may read low, and
     * what a pool computes its workers' own task samples tell.
     */
    private void measureWaiting(Object key, Tracked p, long now) {
        long wall = 0;
        long ran = 0;
        long switches = 0;
        int workers = 0;
        boolean complete = true;
        for (Map.Entry<Thread, Mark> e : p.workers.entrySet()) {
            Mark m = e.getValue();
            long[] s = m.tid > 0 ? listener.schedstat(e.getKey(), m.tid) : null;
            if (s == null) {
                continue;
            }
            if (m.atNanos == 0) {
                m.atNanos = now;
                m.ran = s[0];
                m.queued = s[1];
                m.switches = s[2];
                complete = false;
            } else if (now - m.atNanos < WAIT_WINDOW_NANOS) {
                complete = false;
            } else {
                wall += Math.max(0, now - m.atNanos - (s[1] - m.queued));
                ran += Math.max(0, s[0] - m.ran);
                switches += Math.max(0, s[2] - m.switches);
                workers++;
            }
            p.marked = true;
        }
        if (!complete || workers == 0) {
            return;
        }
        boolean anyRunnable = false;
        for (Mark m : p.workers.values()) {
            m.atNanos = 0; // the next window starts at the next scan
            anyRunnable |= m.tid > 0 && listener.runnable(m.tid);
        }
        // and some worker blocked (a voluntary switch): time the machine stalled the process is no wait
        if (ran + workers * TICK_NANOS < WAITS * wall && !anyRunnable && switches > 0) {
            listener.demand(key, wall, ran);
        }
    }

    static final long WAIT_WINDOW_NANOS = 20_000_000L;
    /** A running thread's time is accounted at its scheduler ticks (4 ms at 250 Hz). */
    static final long TICK_NANOS = 4_000_000L;
    /** As io.threadgov.governor.PoolDemand.WAITS. */
    static final double WAITS = 0.25;

    /**
     * Resizes a tracked pool to {@code to} for a re-decision of its owner, and makes {@code to} the size it
     * shrinks back to when calm; {@code then} runs under the pool's lock after the resize. False when the pool
     * is not tracked (collected, terminated, its relief failed) or the application resized it itself.
     */
    public boolean resize(Object key, int to, Resized then) {
        Tracked p = tracked.get(key);
        if (p == null) {
            return false;
        }
        synchronized (p) {
            ThreadPoolExecutor pool = p.pool.get();
            ReliefPolicy policy = p.policy;
            int size = policy.size();
            if (pool == null || pool.isShutdown() || pool.getCorePoolSize() != size
                    || pool.getMaximumPoolSize() != size || to < 1 || to > policy.requested() || to == size) {
                return false;
            }
            if (to > size) {
                grow(pool, to);
            } else if (to < size) {
                shrink(pool, to);
            }
            policy.regrant(to);
            then.resized(size, to);
            return true;
        }
    }

    /** Every live worker is inside a task and none is RUNNABLE (WAITING, TIMED_WAITING or BLOCKED). */
    private static boolean allWorkersBlocked(Tracked p, ThreadPoolExecutor pool) {
        int seen = 0;
        for (Thread t : p.workers.keySet()) {
            Thread.State s = t.getState();
            if (s == Thread.State.RUNNABLE || s == Thread.State.NEW) {
                return false;
            }
            seen++;
        }
        int poolSize = pool.getPoolSize();
        return seen > 0 && seen >= poolSize && pool.getActiveCount() >= poolSize;
    }

    static void grow(ThreadPoolExecutor pool, int n) {
        pool.setMaximumPoolSize(n);
        pool.setCorePoolSize(n);
    }

    static void shrink(ThreadPoolExecutor pool, int n) {
        pool.setCorePoolSize(n);
        pool.setMaximumPoolSize(n);
    }

    private void ensureMonitor() {
        if (monitor != null) {
            synchronized (this) {
                notifyAll();
            }
            return;
        }
        synchronized (this) {
            if (monitor == null) {
                // no inherited thread locals: the monitor must not keep an application thread's context alive
                Thread t = new Thread(null, this::run, "threadgov-relief", 0, false);
                t.setDaemon(true);
                t.setContextClassLoader(null);
                t.start();
                monitor = t;
            }
            notifyAll();
        }
    }

    private void run() {
        try {
            while (true) {
                synchronized (this) {
                    while (tracked.isEmpty()) {
                        wait();
                    }
                }
                // a quarter of the window, and at most 10 ms: a cut pool whose workers wait is re-decided by
                // its demand within two scans (measureWaiting)
                Thread.sleep(Math.max(1, Math.min(SCAN_MAX_MILLIS, starvationMillis.getAsLong() / 4)));
                scanOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failed = true;
            tracked.clear();
            Log.failure("relief", t);
        }
    }

    /** A worker's kernel id, and its run and run-queue time at the last scan that looked (scan only). */
    private static final class Mark {
        final int tid;
        long atNanos;
        long ran;
        long queued;
        long switches;

        Mark(int tid) {
            this.tid = tid;
        }
    }

    /** One watched pool: weakly held, with its live workers and its policy. */
    private static final class Tracked {
        final WeakReference<ThreadPoolExecutor> pool;
        final Map<Thread, Mark> workers = new ConcurrentHashMap<>();
        /** Whether the last scan marked the workers' run time (tasks were queued). */
        boolean marked;
        /** Workers inside FutureTask.awaitDone (a wait that threw leaves its entry until the thread's next wait ends). */
        final Set<Thread> awaiting = ConcurrentHashMap.newKeySet();
        final ReliefPolicy policy;

        Tracked(ThreadPoolExecutor pool, ReliefPolicy policy) {
            this.pool = new WeakReference<>(pool);
            this.policy = policy;
        }
    }
}
