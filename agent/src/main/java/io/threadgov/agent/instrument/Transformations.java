package io.threadgov.agent.instrument;

import io.threadgov.governor.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Installs every {@link Instrumenter} as one class file transformer. Classes loaded before the agent
 * (the JDK's pools usually are) are retransformed. Only method bodies change, never a class's shape,
 * and only the named classes are ever parsed, which keeps start-up and class loading cheap. A class
 * that cannot be transformed is left as it was, with one line on stderr.
 */
public final class Transformations implements ClassFileTransformer {

    /** Optional instrumenters contributed by other parts of the agent, loaded by name if present. */
    static final String[] OPTIONAL = {"io.threadgov.agent.natives.NativeLoadInstrumenter"};

    private final Map<String, List<Instrumenter>> byClass = new HashMap<>();

    private Transformations(List<Instrumenter> all) {
        for (Instrumenter i : all) {
            for (String c : i.classNames()) {
                List<Instrumenter> l = byClass.get(c);
                if (l == null) {
                    l = new ArrayList<>();
                    byClass.put(c, l);
                }
                l.add(i);
            }
        }
    }

    /**
     * Registers the transformer, so the named classes are instrumented when they load, and returns those
     * of them that are loaded already (to be handed to {@link #retransform}).
     */
    public static List<Class<?>> register(Instrumentation inst) {
        List<Instrumenter> all = new ArrayList<>();
        all.add(new PoolInstrumenter());
        all.add(new LibraryLoadInstrumenter());
        all.add(new ManagementInstrumenter());
        all.add(new FutureWaitInstrumenter());
        for (String name : OPTIONAL) {
            try {
                all.add((Instrumenter) Class.forName(name).getConstructor().newInstance());
            } catch (ClassNotFoundException e) {
                Log.debug(name + " not in this build");
            } catch (Throwable t) {
                Log.failure("instrumentation " + name, t);
            }
        }
        Transformations t = new Transformations(all);
        inst.addTransformer(t, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (t.byClass.containsKey(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) {
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
        if (className == null) {
            return null;
        }
        List<Instrumenter> mine = byClass.get(className);
        if (mine == null || (loader != null && loader.getClass().getName().startsWith("io.threadgov."))) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, name, desc, sig, exceptions);
                    for (Instrumenter i : mine) {
                        mv = i.method(className, access, name, desc, mv);
                    }
                    return mv;
                }
            }, 0);
            byte[] out = writer.toByteArray();
            if (Log.debugEnabled()) {
                Log.debug("instrumented " + className.replace('/', '.') + (redefined != null ? " (retransformed)" : ""));
            }
            return out;
        } catch (Throwable t) {
            Log.failure("instrumentation of " + className.replace('/', '.'), t);
            return null;
        }
    }
}
