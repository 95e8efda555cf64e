package io.threadgov.agent;

import io.threadgov.bootstrap.Hooks;
import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import io.threadgov.governor.PoolDecision;
import io.threadgov.governor.SharePolicy;
import java.util.concurrent.BlockingQueue;

/**
 * The bridge's hooks, implemented by the governor. Swallows and counts its own failures. Pool sizes are decided
 * by the governor ({@link SharePolicy#sizeToBuild(PoolDecision, int)}); the hooks apply them as returned.
 */
final class GovernorHooks implements Hooks {

    private final Governor governor;
    private final Faults faults;
    private final ThreadLocal<Boolean> inLoad = new ThreadLocal<>();
    private final ThreadLocal<Pending> pending = new ThreadLocal<Pending>() {
        @Override
        protected Pending initialValue() {
            return new Pending();
        }
    };

    GovernorHooks(Governor governor) {
        this(governor, new Faults(null));
    }

    /** {@code threadgov.fault=decision} makes the pool hooks throw past their own guard, into the bridge's. */
    GovernorHooks(Governor governor, Faults faults) {
        this.governor = governor;
        this.faults = faults;
    }

    /** Connects the bridge to {@code governor}: from now on instrumented code is governed. */
    static void activate(Governor governor) {
        activate(governor, new Faults(null));
    }

    /** As {@link #activate(Governor)}, with the test-only fault switch (stage {@code decision}). */
    static void activate(Governor governor, Faults faults) {
        io.threadgov.bootstrap.Bridge.hooks = new GovernorHooks(governor, faults);
    }

    /** Disconnects the bridge: instrumented code behaves as if the agent were absent. */
    static void deactivate() {
        io.threadgov.bootstrap.Bridge.hooks = null;
    }

    @Override
    public int forkJoinEnter(int parallelism) {
        DeferredStart.ensureDone();
        faults.check("decision");
        try {
            PoolDecision d = governor.decideForkJoin(parallelism);
            pending.get().push(d);
            return SharePolicy.sizeToBuild(d, parallelism);
        } catch (Throwable t) {
            pending.get().push(null);
            Log.failure("pool decision", t);
            return parallelism;
        }
    }

    @Override
    public int threadPoolEnter(int core, int max, BlockingQueue<?> queue) {
        DeferredStart.ensureDone();
        if (queue == null) {
            return core; // the constructor throws NullPointerException as it would without the agent
        }
        faults.check("decision");
        try {
            long capacity = (long) queue.remainingCapacity() + queue.size();
            PoolDecision d = governor.decideThreadPool(core, max, capacity);
            pending.get().push(d);
            return SharePolicy.sizeToBuild(d, core);
        } catch (Throwable t) {
            pending.get().push(null);
            Log.failure("pool decision", t);
            return core;
        }
    }

    @Override
    public int threadPoolMax(int max) {
        return SharePolicy.sizeToBuild(pending.get().peek(), max);
    }

    @Override
    public void poolCreated(Object pool) {
        try {
            PoolDecision d = pending.get().pop();
            if (d != null) {
                governor.register(pool, d);
                if (!io.threadgov.bootstrap.Bridge.submissions && governor.watchesSubmissions()) {
                    io.threadgov.bootstrap.Bridge.submissions = true;
                }
            }
        } catch (Throwable t) {
            Log.failure("pool registry", t);
        }
    }

    @Override
    public void workerStart(Object pool) {
        try {
            governor.workerStart(pool);
        } catch (Throwable t) {
            Log.failure("worker tracking", t);
        }
    }

    @Override
    public void workerEnd() {
        try {
            governor.workerEnd();
        } catch (Throwable t) {
            Log.failure("worker tracking", t);
        }
    }

    @Override
    public void taskStart() {
        try {
            governor.taskStart();
        } catch (Throwable t) {
            Log.failure("worker tracking", t);
        }
    }

    @Override
    public void taskGot(Object task) {
        try {
            governor.taskGot(task);
        } catch (Throwable t) {
            Log.failure("worker tracking", t);
        }
    }

    @Override
    public void taskRunning(Object task) {
        try {
            governor.taskRunning(task);
        } catch (Throwable t) {
            Log.failure("worker tracking", t);
        }
    }

    @Override
    public void poolSubmitted(Object pool) {
        try {
            governor.submitted(pool);
        } catch (Throwable t) {
            Log.failure("pool users", t);
        }
    }

    @Override
    public void futureCompleting(Object future) {
        try {
            governor.taskCompleting(future);
        } catch (Throwable t) {
            Log.failure("worker tracking", t);
        }
    }

    @Override
    public void taskIdle() {
        try {
            governor.taskIdle();
        } catch (Throwable t) {
            Log.failure("worker tracking", t);
        }
    }

    @Override
    public void taskMaybeIdle(Object pool) {
        try {
            governor.taskMaybeIdle(pool);
        } catch (Throwable t) {
            Log.failure("worker tracking", t);
        }
    }

    @Override
    public void futureAwaitDone() {
        try {
            governor.futureAwaitDone();
        } catch (Throwable t) {
            Log.failure("relief", t);
        }
    }

    @Override
    public void futureAwait(Object future, boolean timed) {
        try {
            governor.futureAwait(future, timed);
        } catch (Throwable t) {
            Log.failure("relief", t);
        }
    }

    @Override
    public int streamLeafTarget(int leafTarget) {
        try {
            return governor.streamLeafTarget(leafTarget);
        } catch (Throwable t) {
            Log.failure("stream split", t);
            return leafTarget;
        }
    }

    @Override
    public void platformMBeanServer(Object server) {
        try {
            io.threadgov.governor.jmx.GovernorJmx.installOnce(governor);
        } catch (Throwable t) {
            Log.failure("jmx register", t);
        }
    }

    @Override
    public void libraryLoading(String what) {
        governor.libraryEvent();
        if (!DeferredStart.doneOrMissed() || inLoad.get() != null) {
            return;
        }
        inLoad.set(Boolean.TRUE);
        try {
            governor.natives().libraryLoading(what);
        } catch (Throwable t) {
            Log.failure("native environment", t);
        } finally {
            inLoad.remove();
        }
    }

    @Override
    public void libraryLoaded(String what) {
        governor.libraryEvent();
        if (!DeferredStart.doneOrMissed()) {
            return; // the start runs on another thread, which rescans when done
        }
        if (inLoad.get() != null) {
            return; // a load made by the native layer itself (JNA's dispatch library)
        }
        inLoad.set(Boolean.TRUE);
        try {
            governor.natives().libraryLoaded(what);
            governor.libraryLoadEnded();
        } catch (Throwable t) {
            Log.failure("native discovery", t);
        } finally {
            inLoad.remove();
        }
    }

    /**
     * Decisions between a pool constructor's entry and its return, per thread. A stack, since a
     * constructor could build another pool; bounded, since a constructor that throws never pops.
     */
    static final class Pending {
        private static final int MAX = 8;
        private final PoolDecision[] stack = new PoolDecision[MAX];
        private int size;

        void push(PoolDecision d) {
            if (size == MAX) {
                System.arraycopy(stack, 1, stack, 0, MAX - 1);
                size--;
            }
            stack[size++] = d;
        }

        PoolDecision peek() {
            return size == 0 ? null : stack[size - 1];
        }

        PoolDecision pop() {
            if (size == 0) {
                return null;
            }
            PoolDecision d = stack[--size];
            stack[size] = null;
            return d;
        }
    }

    @Override
    public boolean gemm(Class<?> owner, int order, int transA, int transB, int m, int n, int k,
                        double alpha, Object a, int lda, Object b, int ldb, double beta, Object c, int ldc) {
        return io.threadgov.agent.natives.GemmBlockRunner.run(governor.gemmBlocks(), owner, order,
                transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public int nativeEnter() {
        try {
            return governor.nativeEnter();
        } catch (Throwable t) {
            Log.failure("native callers", t);
            return 0;
        }
    }

    @Override
    public void nativeExit(int token) {
        try {
            governor.nativeExit(token);
        } catch (Throwable t) {
            Log.failure("native callers", t);
        }
    }

    @Override
    public void foreignThread(String kind, Object hooked) {
        try {
            governor.foreignThread(kind, hooked);
        } catch (Throwable t) {
            Log.failure("foreign pool", t);
        }
    }
}
