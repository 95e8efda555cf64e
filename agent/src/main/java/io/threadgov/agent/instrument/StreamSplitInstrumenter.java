package io.threadgov.agent.instrument;

import java.util.Set;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * {@code java.util.stream.AbstractTask.getLeafTarget()}, the number of leaves a parallel stream aims to
 * split into (the pool's parallelism times 4; on a thread that is no ForkJoin worker, the common pool's).
 * Every parallel terminal operation sizes its splits from it, once per evaluation. The value it returns
 * passes through the governor, which may lower it to 1: no split, the whole pipeline runs in the calling
 * thread, as a stream does on a one-core machine (see {@code Governor.streamLeafTarget}).
 */
final class StreamSplitInstrumenter implements Instrumenter {

    static final String ABSTRACT_TASK = "java/util/stream/AbstractTask";

    @Override
    public Set<String> classNames() {
        return Set.of(ABSTRACT_TASK);
    }

    @Override
    public MethodVisitor method(String owner, int access, String name, String desc, MethodVisitor mv) {
        if (!name.equals("getLeafTarget") || !desc.equals("()I") || (access & Opcodes.ACC_STATIC) == 0) {
            return mv;
        }
        return new InsertedCode(mv) {
            @Override
            protected void beforeReturn(int opcode) {
                bridge("streamLeafTarget", "(I)I"); // the value on the stack in, the governed one out
            }
        };
    }
}
