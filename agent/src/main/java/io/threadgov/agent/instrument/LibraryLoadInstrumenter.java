package io.threadgov.agent.instrument;

import java.util.Set;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * {@code System.load}/{@code loadLibrary}, which end in {@code Runtime.load0}/{@code loadLibrary0}:
 * before each load the native layer prepares the environment a runtime reads as it initialises; after each load the native layer rescans what the process has mapped, which also finds what a JNI
 * library dlopens by itself from its {@code JNI_OnLoad}.
 */
final class LibraryLoadInstrumenter implements Instrumenter {

    static final String RUNTIME = "java/lang/Runtime";

    @Override
    public Set<String> classNames() {
        return Set.of(RUNTIME);
    }

    @Override
    public MethodVisitor method(String owner, int access, String name, String desc, MethodVisitor mv) {
        if ((name.equals("load0") || name.equals("loadLibrary0")) && desc.equals("(Ljava/lang/Class;Ljava/lang/String;)V")) {
            return new InsertedCode(mv) {
                @Override
                protected void atEntry() {
                    load(Opcodes.ALOAD, 2);
                    bridge("libraryLoading", "(Ljava/lang/String;)V");
                }

                @Override
                protected void beforeReturn(int opcode) {
                    load(Opcodes.ALOAD, 2);
                    bridge("libraryLoaded", "(Ljava/lang/String;)V");
                }
            };
        }
        return mv;
    }
}
