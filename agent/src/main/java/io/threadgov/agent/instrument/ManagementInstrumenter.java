package io.threadgov.agent.instrument;

import java.util.Set;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * {@code ManagementFactory.getPlatformMBeanServer()}: tells the agent when the platform MBean server
 * exists, so the MXBean is registered then, without the agent ever creating the server (costly at start)
 * or keeping a thread to wait for it.
 */
final class ManagementInstrumenter implements Instrumenter {

    static final String MANAGEMENT_FACTORY = "java/lang/management/ManagementFactory";

    @Override
    public Set<String> classNames() {
        return Set.of(MANAGEMENT_FACTORY);
    }

    @Override
    public MethodVisitor method(String owner, int access, String name, String desc, MethodVisitor mv) {
        if (name.equals("getPlatformMBeanServer") && desc.equals("()Ljavax/management/MBeanServer;")) {
            return new InsertedCode(mv) {
                @Override
                protected void beforeReturn(int opcode) {
                    insn(Opcodes.DUP);
                    bridge("platformMBeanServer", "(Ljava/lang/Object;)V");
                }
            };
        }
        return mv;
    }
}
