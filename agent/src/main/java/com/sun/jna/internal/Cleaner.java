package com.sun.jna.internal;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * threadgov's replacement for JNA's {@code com.sun.jna.internal.Cleaner} in the agent's own, isolated copy
 * of JNA (the build moves this class under {@code threadgov-jna/}; the application's JNA is untouched).
 *
 * <p>JNA's Cleaner frees native memory and library handles when their Java objects become unreachable, from
 * a daemon thread ("JNA Cleaner") that lives as long as any registered object does. The native layer holds
 * its library handles for the life of the process, so that thread would be one extra thread in every
 * governed host, for nothing: the agent creates a bounded number of JNA objects, nearly all at discovery.
 * This Cleaner has the same API ({@link #getCleaner}, {@link #register}, {@link Cleanable#clean}) and
 * no thread: the references that became unreachable are cleaned on the next {@link #register}, on the
 * registering thread, as JNA's newer per-thread cleaners also do.
 */
public class Cleaner {
    private static final Cleaner INSTANCE = new Cleaner();

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Set<Ref> live = ConcurrentHashMap.newKeySet();

    private Cleaner() {
    }

    public static Cleaner getCleaner() {
        return INSTANCE;
    }

    /** Runs {@code cleanupTask} once {@code obj} is unreachable (at a later register) or at {@link Cleanable#clean}. */
    public Cleanable register(Object obj, Runnable cleanupTask) {
        drain();
        Ref r = new Ref(obj, queue, cleanupTask, live);
        live.add(r);
        return r;
    }

    private void drain() {
        Reference<?> r;
        while ((r = queue.poll()) != null) {
            if (r instanceof Ref) {
                ((Ref) r).clean();
            }
        }
    }

    /** What {@link #register} returns: cleans once, on demand or when the object was collected. */
    public interface Cleanable {
        void clean();
    }

    private static final class Ref extends PhantomReference<Object> implements Cleanable {
        private final Set<Ref> live;
        private Runnable task;

        Ref(Object referent, ReferenceQueue<Object> q, Runnable task, Set<Ref> live) {
            super(referent, q);
            this.task = task;
            this.live = live;
        }

        @Override
        public void clean() {
            Runnable t;
            synchronized (this) {
                t = task;
                task = null;
            }
            if (t != null && live.remove(this)) {
                t.run();
            }
        }
    }
}
