package io.threadgov.governor;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread pools of other libraries that the agent recognises by class (web servers, Netty, Kotlin coroutines):
 * recorded with their size, never resized; their threads hold a share of the budget like a top-level pool's workers.
 */
final class ForeignPools {

    /*
     * What and why. The governor learns how many threads compete from the JDK's pools; a Tomcat, Jetty, Netty or
     * Kotlin thread is none of them, so a pool built on it was treated as top-level (the whole budget) and a
     * parallel stream on it split as on main. Each library's worker run loop is instrumented (the agent's
     * ForeignPoolInstrumenter, one small hook per library, as OpenTelemetry keeps one instrumentation per library):
     * the first time a thread enters it, the thread becomes a worker of that library's pool here, with the share
     * of a top-level pool of the pool's size (SharePolicy.workerShare(B, size)). Nested pools it creates are then
     * cut to that share, as in a JDK pool of that size. The pool itself keeps every thread the application gave it
     * (top-level pools keep their size: DESIGN.md, section 1).
     *
     * Busy counting is not taken from these threads' run loops (a server thread waits in a selector or a queue
     * most of the time): what they compute is counted where it costs cores, at their native BLAS calls
     * (Governor.nativeEnter).
     *
     * Concurrency. Pools are few (one or two per library per process): a list under this object's monitor,
     * searched by identity when a thread of an unknown pool registers; each thread registers once (its
     * WorkerState then answers on that thread), so the monitor is taken once per foreign thread.
     */

    /** The libraries recognised, with the run loop that recognises each and how its size is read. */
    enum Kind {
        TOMCAT("tomcat", "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker", null, "getMaximumPoolSize()"),
        /** The hook sees the loop's Runner, an inner class of the pool. */
        JETTY("jetty", "org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.run", "this$0", "getMaxThreads()"),
        /** The hook sees an event loop; its group is the pool. */
        NETTY("netty", "io.netty.util.internal.ThreadExecutorMap.setCurrentExecutor", "parent()", "executorCount()"),
        /** The hook sees the worker thread; its scheduler is the pool, whose CPU workers are corePoolSize. */
        KOTLIN("kotlin", "kotlinx.coroutines.scheduling.CoroutineScheduler$Worker.run", "getScheduler()", "corePoolSize");

        final String key;
        final String recognisedBy;
        /** How the pool is reached from what the hook sees: a method "name()", a field "name", or null (itself). */
        private final String pool;
        /** How its size is read: a method "name()" or a field "name". */
        private final String size;

        Kind(String key, String recognisedBy, String pool, String size) {
            this.key = key;
            this.recognisedBy = recognisedBy;
            this.pool = pool;
            this.size = size;
        }

        /** The pool that {@code hooked}, the object the run loop's hook passed, belongs to (null: none). */
        Object poolOf(Object hooked) throws ReflectiveOperationException {
            return pool == null || hooked == null ? hooked : read(hooked, pool);
        }

        /** The pool's size (its most threads, event loops or CPU workers), 0 when it cannot be read. */
        int sizeOf(Object p) {
            try {
                return ((Number) read(p, size)).intValue();
            } catch (Throwable t) {
                Log.debug("size of " + p.getClass().getName() + ": " + t);
                return 0;
            }
        }

        private static Object read(Object o, String member) throws ReflectiveOperationException {
            if (member.endsWith("()")) {
                Method m = o.getClass().getMethod(member.substring(0, member.length() - 2));
                m.trySetAccessible(); // a public method of a class that is not public (a Netty event loop's)
                return m.invoke(o);
            }
            Class<?> c = o.getClass();
            while (c != null) {
                try {
                    Field f = c.getDeclaredField(member);
                    f.trySetAccessible();
                    return f.get(o);
                } catch (NoSuchFieldException e) {
                    c = c.getSuperclass();
                }
            }
            throw new NoSuchFieldException(member);
        }

        /** The kind whose key is {@code key}, or null. */
        static Kind of(String key) {
            for (Kind k : values()) {
                if (k.key.equals(key)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** One recognised pool. */
    static final class Entry {
        final Kind kind;
        final String className;
        final WeakReference<Object> pool;
        final PoolDecision decision;
        final AtomicInteger threads = new AtomicInteger();

        Entry(Kind kind, Object pool, PoolDecision decision) {
            this.kind = kind;
            this.className = pool.getClass().getName();
            this.pool = new WeakReference<>(pool);
            this.decision = decision;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /**
     * The entry of {@code pool} of {@code kind}, recorded now if new ({@code decide} makes its decision from its
     * size); null when the pool cannot be used (no size).
     */
    synchronized Entry register(Kind kind, Object pool, java.util.function.IntFunction<PoolDecision> decide) {
        for (Entry e : entries) {
            if (e.pool.get() == pool) {
                return e;
            }
        }
        int size = kind.sizeOf(pool);
        if (size < 1) {
            return null;
        }
        Entry e = new Entry(kind, pool, decide.apply(size));
        entries.add(e);
        return e;
    }

    /** The report's {@code foreign_pools}: kind, class, size, recognised_by, threads; oldest first. */
    synchronized List<Object> records() {
        List<Object> out = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", e.kind.key);
            m.put("class", e.className);
            m.put("size", e.decision.requested());
            m.put("share", e.decision.share());
            m.put("recognised_by", e.kind.recognisedBy);
            m.put("threads", e.threads.get());
            out.add(m);
        }
        return out;
    }
}
