package io.threadgov.agent.natives;

import io.threadgov.agent.instrument.InsertedCode;
import io.threadgov.governor.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Wraps the pointer overload of {@code cblas_dgemm} in JavaCPP's OpenBLAS classes
 * ({@code org.bytedeco.openblas.global.openblas} and {@code openblas_nolapack}), so that {@code GemmBlocks}
 * can run a large product as row blocks ({@code threadgov.gemm_blocks}). {@code cblas_sgemm} is not
 * wrapped: its blocks gave other last bits than the one call on an AMD EPYC (BENCHMARKS.md, History, 2026-12-02
 * 5b4657b..cd8187b, "Same bits on an AMD EPYC").
 *
 * <p>A native method has no body to insert code into, so this uses the JVM's native method prefix
 * ({@link Instrumentation#setNativeMethodPrefix}): when the class is first loaded, the native is renamed
 * {@value #PREFIX}{@code cblas_dgemm} (the JVM still binds it to JavaCPP's JNI function: a failed lookup is
 * retried without the prefix) and a Java method of the original name and descriptor takes its place:
 * <pre>
 *   if (!Bridge.gemm(thisClass, order, ..., ldc)) threadgov$cblas_dgemm(order, ..., ldc);
 * </pre>
 * This changes the class's shape, which a retransformation may not do: a class loaded before the agent
 * keeps its plain natives and every call runs whole. Other overloads (Java arrays, NIO buffers) have no
 * offset to make a block of and stay as they are.
 */
public final class GemmBlocksTransformer implements ClassFileTransformer {

    /** What the renamed natives start with. */
    public static final String PREFIX = "threadgov$";

    static final Set<String> CLASSES = Set.of("org/bytedeco/openblas/global/openblas",
            "org/bytedeco/openblas/global/openblas_nolapack");
    static final String DGEMM = "(IIIIIIDLorg/bytedeco/javacpp/DoublePointer;ILorg/bytedeco/javacpp/DoublePointer;"
            + "IDLorg/bytedeco/javacpp/DoublePointer;I)V";
    private static final String BRIDGE_DESC = "(Ljava/lang/Class;IIIIIIDLjava/lang/Object;ILjava/lang/Object;ID"
            + "Ljava/lang/Object;I)Z";

    private GemmBlocksTransformer() {
    }

    /**
     * Registers the transformer with its prefix, when the JVM supports native method prefixes (the
     * manifest asks for it); returns whether it did.
     */
    public static boolean register(Instrumentation inst) {
        if (!inst.isNativeMethodPrefixSupported()) {
            Log.debug("native method prefixes not supported: gemm calls run whole");
            return false;
        }
        GemmBlocksTransformer t = new GemmBlocksTransformer();
        inst.addTransformer(t, false);
        inst.setNativeMethodPrefix(t, PREFIX);
        return true;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
        if (redefined != null || className == null || !CLASSES.contains(className)
                || (loader != null && loader.getClass().getName().startsWith("io.threadgov."))) {
            return null;
        }
        try {
            return rewrite(bytes);
        } catch (Throwable t) {
            Log.failure("gemm blocks instrumentation of " + className.replace('/', '.'), t);
            return null;
        }
    }

    /** The class with its gemm natives wrapped, or null when it has none of them. */
    static byte[] rewrite(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        Wrapping v = new Wrapping(writer);
        reader.accept(v, 0);
        if (v.wrapped == 0) {
            return null;
        }
        byte[] out = writer.toByteArray();
        if (Log.debugEnabled()) {
            Log.debug("gemm blocks: wrapped " + v.wrapped + " natives of " + reader.getClassName().replace('/', '.'));
        }
        return out;
    }

    /** Renames each {@code cblas_dgemm} native of the pointer overload and adds the Java method in its place. */
    private static final class Wrapping extends ClassVisitor {
        private final ClassVisitor out;
        private String owner;
        private boolean frames;
        int wrapped;

        Wrapping(ClassVisitor out) {
            super(Opcodes.ASM9, out);
            this.out = out;
        }

        @Override
        public void visit(int version, int access, String name, String sig, String superName, String[] interfaces) {
            owner = name;
            frames = (version & 0xFFFF) >= Opcodes.V1_6;
            super.visit(version, access, name, sig, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
            int need = Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC;
            boolean gemm = (access & need) == need
                    && name.equals("cblas_dgemm") && desc.equals(DGEMM);
            if (!gemm) {
                return super.visitMethod(access, name, desc, sig, exceptions);
            }
            wrapped++;
            wrapper(access & ~Opcodes.ACC_NATIVE, name, desc, sig, exceptions);
            return super.visitMethod(access | Opcodes.ACC_SYNTHETIC, PREFIX + name, desc, sig, exceptions);
        }

        private void wrapper(int access, String name, String desc, String sig, String[] exceptions) {
            MethodVisitor mv = out.visitMethod(access, name, desc, sig, exceptions);
            Type[] args = Type.getArgumentTypes(desc);
            mv.visitCode();
            mv.visitLdcInsn(Type.getObjectType(owner));
            int slot = 0;
            for (Type t : args) {
                mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, InsertedCode.BRIDGE, "gemm", BRIDGE_DESC, false);
            Label call = new Label();
            mv.visitJumpInsn(Opcodes.IFEQ, call);
            mv.visitInsn(Opcodes.RETURN);
            mv.visitLabel(call);
            if (frames) {
                mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
            }
            slot = 0;
            for (Type t : args) {
                mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, PREFIX + name, desc, false);
            mv.visitInsn(Opcodes.RETURN);
            mv.visitMaxs(1 + slot, slot); // the Class and the arguments
            mv.visitEnd();
        }
    }
}
