package io.threadgov.agent.instrument;

import io.threadgov.governor.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import io.threadgov.agent.natives.NativeLoadInstrumenter;

/**
 * The class file transformer: every {@link Instrumenter}, applied to the classes they name. Classes
 * loaded before the agent (the JDK's pools usually are) are retransformed. Only method bodies change,
 * never a class's shape, and only the named classes are ever parsed, which keeps start-up and class
 * loading cheap. A class that cannot be transformed is left as it was, with one line on stderr.
 *
 * <p>Registering costs only this class and the set of names: the instrumenters and ASM are loaded by the
 * first transformation ({@link Rewriter}), which at start is the retransformation of {@code Runtime} on the
 * agent's background thread, or an application class load of a named class, whichever comes first.
 */
public final class Transformations implements ClassFileTransformer {

    /**
     * Internal names of every class an instrumenter rewrites (checked against the instrumenters by
     * {@code TransformationsTest}).
     */
    static final Set<String> NAMES = Set.of(
            PoolInstrumenter.TPE, PoolInstrumenter.FJP,
            LibraryLoadInstrumenter.RUNTIME, ManagementInstrumenter.MANAGEMENT_FACTORY,
            FutureWaitInstrumenter.FUTURE_TASK, StreamSplitInstrumenter.ABSTRACT_TASK,
            NativeLoadInstrumenter.JNA, NativeLoadInstrumenter.JAVACPP, NativeLoadInstrumenter.FFM,
            ForeignPoolInstrumenter.TOMCAT, ForeignPoolInstrumenter.JETTY, ForeignPoolInstrumenter.NETTY,
            ForeignPoolInstrumenter.KOTLIN);

    private Transformations() {
    }

    /**
     * Registers the transformer, so the named classes are instrumented when they load, and returns those
     * of them that are loaded already (to be handed to {@link #retransform}).
     */
    public static List<Class<?>> register(Instrumentation inst) {
        inst.addTransformer(new Transformations(), true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (NAMES.contains(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        return loaded;
    }

    /** Retransforms classes loaded before the transformer was registered; one failure each is reported. */
    public static void retransform(Instrumentation inst, List<Class<?>> classes) {
        for (Class<?> c : classes) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable e) {
                Log.failure("instrumentation of " + c.getName(), e);
            }
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
        if (className == null || !NAMES.contains(className)
                || (loader != null && loader.getClass().getName().startsWith("io.threadgov."))) {
            return null;
        }
        return Rewriter.rewrite(className, redefined != null, bytes);
    }
}
