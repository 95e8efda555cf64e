package io.threadgov.agent;

/**
 * Loads the classes the hooks use before any hook runs. A hook that runs while the JVM is loading one
 * of the classes it needs would otherwise end in a ClassCircularityError or a deadlock on a class
 * initialisation lock. The pool classes themselves are not loaded here: an application that never
 * uses one never pays for instrumenting it.
 */
final class Preloader {

    private Preloader() {
    }

    static void preload() {
        for (String name : new String[] {
            "java.util.concurrent.ThreadLocalRandom", "java.util.concurrent.atomic.AtomicLong",
            "java.util.concurrent.atomic.AtomicInteger", "java.util.WeakHashMap", "java.util.WeakHashMap$Entry",
            "java.lang.StackWalker", "java.lang.StackWalker$Option", "java.lang.ThreadLocal",
            "java.util.concurrent.ConcurrentHashMap",
            "io.threadgov.governor.PoolDecision", "io.threadgov.governor.PoolDecision$Family",
            "io.threadgov.governor.PoolSemantics",
            "io.threadgov.governor.WorkerState", "io.threadgov.governor.SharePolicy",
            "io.threadgov.governor.CreatorFinder", "io.threadgov.governor.PoolRegistry",
            "io.threadgov.agent.GovernorHooks", "io.threadgov.agent.GovernorHooks$Pending",
        }) {
            try {
                Class.forName(name, true, Preloader.class.getClassLoader());
            } catch (Throwable t) {
                io.threadgov.governor.Log.failure("preload", t);
            }
        }
    }
}
