package io.threadgov.agent.instrument;

import java.util.Set;
import net.bytebuddy.jar.asm.MethodVisitor;

/**
 * One group of inserted code on a few named classes, written with ASM (the copy inside ByteBuddy).
 * Registered in {@link Transformations}; only the named classes are ever parsed.
 */
public interface Instrumenter {

    /** Internal names of the classes this instruments, e.g. {@code java/util/concurrent/ForkJoinPool}. */
    Set<String> classNames();

    /**
     * Wraps the visitor of one method of one of {@link #classNames()} to insert code, or returns
     * {@code mv} unchanged. Inserted code must leave the stack as it found it and add no branches, so
     * the method's stack map frames stay valid.
     */
    MethodVisitor method(String className, int access, String name, String descriptor, MethodVisitor mv);
}
