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
