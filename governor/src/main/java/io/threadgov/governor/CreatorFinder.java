package io.threadgov.governor;

import java.util.Optional;
import java.util.Set;

/**
 * Names the application code that created a pool: the first frame on the creating thread's stack that
 * is not the JDK's concurrency or stream machinery, not threadgov, and not the constructor of a pool
 * subclass. Costs one stack walk per pool creation, never on a task's path.
 */
final class CreatorFinder {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final Set<String> SKIPPED_PREFIXES = Set.of("java.util.concurrent.", "io.threadgov.agent.",
            "io.threadgov.governor.", "io.threadgov.bootstrap.", "io.threadgov.shaded.",
            "java.util.stream.", "jdk.internal.", "java.lang.invoke.", "java.lang.reflect.", "sun.reflect.");

    private CreatorFinder() {
    }

    static String find() {
        Optional<StackWalker.StackFrame> f = WALKER.walk(s -> s.filter(CreatorFinder::isApplicationFrame).findFirst());
        return f.map(x -> x.getClassName() + "." + x.getMethodName()).orElse("unknown");
    }

    /** Where a pool is being created: its creator, and whether a class initializer is on the stack. */
    record Creation(String creator, boolean inClassInit) {
    }

    /**
     * As {@link #find}, in the same one walk: also whether the pool is created during class initialization
     * (a {@code <clinit>} frame anywhere on the stack: a holder class's static pool, a global that every
     * thread will use, whichever thread happened to touch the class first).
     */
    static Creation findCreation() {
        return WALKER.walk(s -> {
            String creator = null;
            boolean clinit = false;
            for (java.util.Iterator<StackWalker.StackFrame> it = s.iterator(); it.hasNext(); ) {
                StackWalker.StackFrame f = it.next();
                if (creator == null && isApplicationFrame(f)) {
                    creator = f.getClassName() + "." + f.getMethodName();
                }
                if ("<clinit>".equals(f.getMethodName())) {
                    clinit = true;
                    if (creator != null) {
                        break;
                    }
                }
            }
            return new Creation(creator == null ? "unknown" : creator, clinit);
        });
    }

    private static boolean isApplicationFrame(StackWalker.StackFrame f) {
        String c = f.getClassName();
        for (String p : SKIPPED_PREFIXES) {
            if (c.startsWith(p)) {
                return false;
            }
        }
        if ("<init>".equals(f.getMethodName())) {
            Class<?> k = f.getDeclaringClass();
            return !(java.util.concurrent.ExecutorService.class.isAssignableFrom(k));
        }
        return true;
    }
}
