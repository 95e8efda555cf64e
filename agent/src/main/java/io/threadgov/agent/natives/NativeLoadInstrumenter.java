package io.threadgov.agent.natives;

import io.threadgov.agent.instrument.InsertedCode;
import io.threadgov.agent.instrument.Instrumenter;
import java.util.Set;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Native loads that do not (only) go through {@code System.load}: after each, the native layer rescans
 * {@code /proc/self/maps} ({@code Bridge.libraryLoaded}), finds new runtimes and re-applies the thread
 * counts a library may have reset while loading.
 * <ul>
 * <li>JNA: {@code com.sun.jna.NativeLibrary.loadLibrary}, where {@code Native.load}, {@code Native.register}
 *     and {@code NativeLibrary.getInstance} end (the application's own JNA; threadgov's isolated copy is
 *     never instrumented).</li>
 * <li>JavaCPP: {@code org.bytedeco.javacpp.Loader.load}, after the whole load including the JNI
 *     library's initialisation; its libraries are loaded by {@code System.load}, already seen, but a
 *     preset may reset the thread count after them.</li>
 * <li>FFM (JDK 22+): {@code java.lang.foreign.SymbolLookup.libraryLookup}, matched by name so the agent
 *     still runs on 17, where the class does not exist.</li>
 * </ul>
 * Calls are inserted before each return of those methods; a load that throws is not reported (it
 * loaded nothing new, or the next load event finds it). JNA's and FFM's entries, which take the library's
 * name, also announce the load before it happens ({@code Bridge.libraryLoading}); JavaCPP's libraries
 * are announced by {@code System.load}.
 */
public final class NativeLoadInstrumenter implements Instrumenter {

    public static final String JNA = "com/sun/jna/NativeLibrary";
    public static final String JAVACPP = "org/bytedeco/javacpp/Loader";
    public static final String FFM = "java/lang/foreign/SymbolLookup";

    public NativeLoadInstrumenter() {
    }

    @Override
    public Set<String> classNames() {
        return Set.of(JNA, JAVACPP, FFM);
    }

    @Override
    public MethodVisitor method(String owner, int access, String name, String desc, MethodVisitor mv) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
            return mv;
        }
        String hint;
        switch (owner) {
            case JNA:
                hint = name.equals("loadLibrary") ? "jna" : null;
                break;
            case JAVACPP:
                hint = name.equals("load") ? "javacpp" : null;
                break;
            case FFM:
                hint = name.equals("libraryLookup") ? "ffm" : null;
                break;
            default:
                hint = null;
        }
        if (hint == null) {
            return mv;
        }
        boolean named = (access & Opcodes.ACC_STATIC) != 0
                && (desc.startsWith("(Ljava/lang/String;") || desc.startsWith("(Ljava/nio/file/Path;"));
        return new InsertedCode(mv) {
            @Override
            protected void atEntry() {
                if (named) { // JNA's loadLibrary(String, Map), FFM's libraryLookup(String|Path, Arena)
                    load(Opcodes.ALOAD, 0);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/String", "valueOf",
                            "(Ljava/lang/Object;)Ljava/lang/String;", false);
                    bridge("libraryLoading", "(Ljava/lang/String;)V");
                }
            }

            @Override
            protected void beforeReturn(int opcode) {
                super.visitLdcInsn(hint);
                bridge("libraryLoaded", "(Ljava/lang/String;)V");
            }
        };
    }
}
