package io.threadgov.agent.instrument;

import io.threadgov.governor.Log;
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
 * Rewrites one class with ASM through the instrumenters that name it. Created on the first
 * transformation (class initialisation makes that thread-safe): until then neither ASM nor the
 * instrumenters are loaded.
 */
final class Rewriter {

    /** Optional instrumenters contributed by other parts of the agent, loaded by name if present. */
    static final String[] OPTIONAL = {"io.threadgov.agent.natives.NativeLoadInstrumenter"};

    private static final Map<String, List<Instrumenter>> BY_CLASS = byClass(all());

    private Rewriter() {
    }

    static List<Instrumenter> all() {
        List<Instrumenter> all = new ArrayList<>();
        all.add(new PoolInstrumenter());
        all.add(new LibraryLoadInstrumenter());
        all.add(new ManagementInstrumenter());
        all.add(new FutureWaitInstrumenter());
        all.add(new StreamSplitInstrumenter());
        all.add(new ForeignPoolInstrumenter());
        for (String name : OPTIONAL) {
            try {
                all.add((Instrumenter) Class.forName(name).getConstructor().newInstance());
            } catch (ClassNotFoundException e) {
                Log.debug(name + " not in this build");
            } catch (Throwable t) {
                Log.failure("instrumentation " + name, t);
            }
        }
        return all;
    }

    private static Map<String, List<Instrumenter>> byClass(List<Instrumenter> all) {
        Map<String, List<Instrumenter>> m = new HashMap<>();
        for (Instrumenter i : all) {
            for (String c : i.classNames()) {
                List<Instrumenter> l = m.get(c);
                if (l == null) {
                    l = new ArrayList<>();
                    m.put(c, l);
                }
                l.add(i);
            }
        }
        return m;
    }

    /** The rewritten class file, or null to leave the class as it is. */
    static byte[] rewrite(String className, boolean retransformed, byte[] bytes) {
        List<Instrumenter> mine = BY_CLASS.get(className);
        if (mine == null) {
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
                Log.debug("instrumented " + className.replace('/', '.') + (retransformed ? " (retransformed)" : ""));
            }
            return out;
        } catch (Throwable t) {
            Log.failure("instrumentation of " + className.replace('/', '.'), t);
            return null;
        }
    }
}
