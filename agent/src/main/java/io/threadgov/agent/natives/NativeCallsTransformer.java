package io.threadgov.agent.natives;

import io.threadgov.agent.instrument.InsertedCode;
import io.threadgov.governor.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Wraps the compute natives of the BLAS bindings (JavaCPP's OpenBLAS classes, netlib-java's JNI BLAS and LAPACK)
 * and XGBoost4J's training and prediction natives, so that the governor counts every thread inside one
 * ({@code Governor.nativeEnter}), and, with
 * {@code threadgov.gemm_blocks=on}, runs the pointer overload of JavaCPP's {@code cblas_dgemm} as row blocks.
 *
 * <p>A native method has no body to insert code into, so this uses the JVM's native method prefix
 * ({@link Instrumentation#setNativeMethodPrefix}): when the class is first loaded, each wrapped native is renamed
 * {@value #PREFIX}{@code name} (the JVM still binds it to the binding's JNI function: a failed lookup is retried
 * without the prefix) and a Java method of the original name and descriptor takes its place:
 * <pre>
 *   int token = Bridge.nativeEnter();
 *   try { [if (!Bridge.gemm(...))] return threadgov$name(args); } finally { Bridge.nativeExit(token); }
 * </pre>
 * This changes the class's shape, which a retransformation may not do: a class loaded before the agent keeps its
 * plain natives, uncounted. Which natives: level-3 BLAS and the matrix-vector products (the calls a BLAS runs on
 * several threads) and LAPACK's factorisations, solvers and eigen/singular value drivers ({@link #WRAPPED}); not
 * the level-1 calls, too short for the count to matter, nor the runtimes' own settings. {@code cblas_sgemm}
 * is never cut in blocks: its blocks gave other last bits than the one call on an AMD EPYC (BENCHMARKS.md,
 * History, 2026-12-02 5b4657b..cd8187b, "Same bits on an AMD EPYC").
 */
public final class NativeCallsTransformer implements ClassFileTransformer {

    /** What the renamed natives start with. */
    public static final String PREFIX = "threadgov$";

    private static final String BLAS3 = "(gemm\\w*|symm|hemm|syrk|herk|syr2k|her2k|trmm|trsm|gemv|symv|hemv)";
    private static final String LAPACK = "(gesv|gesvx|gesvd|gesdd|getrf|getri|getrs|potrf|potri|potrs|posv|posvx|pstrf"
            + "|geqrf|gelqf|geqp3|gels|gelsd|gelss|gelsy|syev|syevd|syevr|syevx|heev|heevd|heevr|geev|gees|trtri"
            + "|sytrf|sysv|hetrf|hesv|orgqr|ormqr|ungqr|unmqr|gebrd|gehrd|sytrd|hetrd|gesvj|ggev|sygv|hegv)";

    /** The wrapped natives of each binding class, by name. */
    static final Map<String, Pattern> WRAPPED = Map.of(
            "org/bytedeco/openblas/global/openblas",
            Pattern.compile("cblas_[sdcz]" + BLAS3 + "|LAPACKE?_[sdcz]" + LAPACK + "(_work|_base)?"),
            "org/bytedeco/openblas/global/openblas_nolapack",
            Pattern.compile("cblas_[sdcz]" + BLAS3),
            "dev/ludovic/netlib/blas/JNIBLAS",
            Pattern.compile("[sd]" + BLAS3 + "K"),
            "dev/ludovic/netlib/lapack/JNILAPACK",
            Pattern.compile("[sd]" + LAPACK + "K"),
            // XGBoost4J: what runs OpenMP teams (training, evaluation, prediction, building a DMatrix)
            "ml/dmlc/xgboost4j/java/XGBoostJNI",
            Pattern.compile("XGBooster(UpdateOneIter|TrainOneIter|EvalOneIter|Predict\\w*)|XGDMatrixCreateFrom\\w*"
                    + "|XGDMatrixSliceDMatrix|XG(ExtMem)?QuantileDMatrixCreateFromCallback"));

    static final String DGEMM = "(IIIIIIDLorg/bytedeco/javacpp/DoublePointer;ILorg/bytedeco/javacpp/DoublePointer;"
            + "IDLorg/bytedeco/javacpp/DoublePointer;I)V";
    private static final String GEMM_DESC = "(Ljava/lang/Class;IIIIIIDLjava/lang/Object;ILjava/lang/Object;ID"
            + "Ljava/lang/Object;I)Z";

    private final boolean gemmBlocks;

    private NativeCallsTransformer(boolean gemmBlocks) {
        this.gemmBlocks = gemmBlocks;
    }

    /**
     * Registers the transformer with its prefix, when the JVM supports native method prefixes (the manifest asks
     * for it); {@code gemmBlocks}: also cut large {@code cblas_dgemm} calls in blocks. Returns whether it did.
     */
    public static boolean register(Instrumentation inst, boolean gemmBlocks) {
        if (!inst.isNativeMethodPrefixSupported()) {
            Log.debug("native method prefixes not supported: native BLAS calls are not counted");
            return false;
        }
        NativeCallsTransformer t = new NativeCallsTransformer(gemmBlocks);
        inst.addTransformer(t, false);
        inst.setNativeMethodPrefix(t, PREFIX);
        return true;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
        Pattern wrapped = className == null ? null : WRAPPED.get(className);
        if (redefined != null || wrapped == null
                || (loader != null && loader.getClass().getName().startsWith("io.threadgov."))) {
            return null;
        }
        try {
            return rewrite(bytes, wrapped, gemmBlocks);
        } catch (Throwable t) {
            Log.failure("native call instrumentation of " + className.replace('/', '.'), t);
            return null;
        }
    }

    /** The class with the natives whose names {@code wrapped} matches wrapped, or null when it has none. */
    static byte[] rewrite(byte[] bytes, Pattern wrapped, boolean gemmBlocks) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        Wrapping v = new Wrapping(writer, wrapped, gemmBlocks);
        reader.accept(v, 0);
        if (v.wrapped == 0) {
            return null;
        }
        byte[] out = writer.toByteArray();
        if (Log.debugEnabled()) {
            Log.debug("native calls: wrapped " + v.wrapped + " natives of " + reader.getClassName().replace('/', '.'));
        }
        return out;
    }

    /** Renames each wrapped native and adds the Java method in its place. */
    private static final class Wrapping extends ClassVisitor {
        private final ClassVisitor out;
        private final Pattern pattern;
        private final boolean gemmBlocks;
        private String owner;
        private boolean frames;
        int wrapped;

        Wrapping(ClassVisitor out, Pattern pattern, boolean gemmBlocks) {
            super(Opcodes.ASM9, out);
            this.out = out;
            this.pattern = pattern;
            this.gemmBlocks = gemmBlocks;
        }

        @Override
        public void visit(int version, int access, String name, String sig, String superName, String[] interfaces) {
            owner = name;
            frames = (version & 0xFFFF) >= Opcodes.V1_6;
            super.visit(version, access, name, sig, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
            if ((access & Opcodes.ACC_NATIVE) == 0 || !pattern.matcher(name).matches()) {
                return super.visitMethod(access, name, desc, sig, exceptions);
            }
            wrapped++;
            boolean gemm = gemmBlocks && (access & Opcodes.ACC_STATIC) != 0
                    && name.equals("cblas_dgemm") && desc.equals(DGEMM);
            wrapper(access & ~Opcodes.ACC_NATIVE, name, desc, sig, exceptions, gemm);
            return super.visitMethod(access | Opcodes.ACC_SYNTHETIC, PREFIX + name, desc, sig, exceptions);
        }

        private void wrapper(int access, String name, String desc, String sig, String[] exceptions, boolean gemm) {
            MethodVisitor mv = out.visitMethod(access, name, desc, sig, exceptions);
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            Type[] args = Type.getArgumentTypes(desc);
            Type ret = Type.getReturnType(desc);
            List<Object> locals = new ArrayList<>();
            int slot = 0;
            if (!isStatic) {
                locals.add(owner);
                slot = 1;
            }
            for (Type t : args) {
                locals.add(frameType(t));
                slot += t.getSize();
            }
            int token = slot;
            locals.add(Opcodes.INTEGER);
            Object[] frameLocals = locals.toArray();
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            mv.visitCode();
            mv.visitTryCatchBlock(start, end, handler, null);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, InsertedCode.BRIDGE, "nativeEnter", "()I", false);
            mv.visitVarInsn(Opcodes.ISTORE, token);
            mv.visitLabel(start);
            if (gemm) {
                mv.visitLdcInsn(Type.getObjectType(owner));
                loadArgs(mv, args, 0);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, InsertedCode.BRIDGE, "gemm", GEMM_DESC, false);
                mv.visitJumpInsn(Opcodes.IFNE, end); // the blocks ran: no call of the whole
            }
            if (!isStatic) {
                mv.visitVarInsn(Opcodes.ALOAD, 0);
            }
            loadArgs(mv, args, isStatic ? 0 : 1);
            mv.visitMethodInsn(isStatic ? Opcodes.INVOKESTATIC : Opcodes.INVOKEVIRTUAL, owner, PREFIX + name, desc, false);
            mv.visitLabel(end);
            if (gemm && frames) { // a jump target (void: nothing on the stack)
                mv.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 0, new Object[0]);
            }
            mv.visitVarInsn(Opcodes.ILOAD, token);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, InsertedCode.BRIDGE, "nativeExit", "(I)V", false);
            mv.visitInsn(ret.getOpcode(Opcodes.IRETURN));
            mv.visitLabel(handler);
            if (frames) {
                mv.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, 1, new Object[] {"java/lang/Throwable"});
            }
            mv.visitVarInsn(Opcodes.ASTORE, token + 1);
            mv.visitVarInsn(Opcodes.ILOAD, token);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, InsertedCode.BRIDGE, "nativeExit", "(I)V", false);
            mv.visitVarInsn(Opcodes.ALOAD, token + 1);
            mv.visitInsn(Opcodes.ATHROW);
            mv.visitMaxs(slot + 3, token + 2); // this, the arguments and the Class of gemm; the token and a throwable
            mv.visitEnd();
        }

        private static void loadArgs(MethodVisitor mv, Type[] args, int first) {
            int slot = first;
            for (Type t : args) {
                mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
        }

        private static Object frameType(Type t) {
            switch (t.getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    return Opcodes.INTEGER;
                case Type.FLOAT:
                    return Opcodes.FLOAT;
                case Type.LONG:
                    return Opcodes.LONG;
                case Type.DOUBLE:
                    return Opcodes.DOUBLE;
                default:
                    return t.getInternalName();
            }
        }
    }
}
