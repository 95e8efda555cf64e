package io.threadgov.agent.instrument;

import java.util.Set;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * {@code FutureTask.awaitDone}, where {@code get()} blocks on a task not yet done: the governor checks
 * whether a worker of a cut pool is about to wait for a task still queued in its own pool, a certain
 * starvation when the pool's other workers are blocked too, and grows the pool at once instead of after
 * the starvation window (see {@code StarvationRelief.workerAwaits}). The wait's exit is reported on every
 * path, a throw (InterruptedException) included. And {@code FutureTask.set} and
 * {@code setException}, where a task's outcome becomes visible to {@code get()}: a worker whose pool has
 * nothing queued is idle from there on (see {@code Governor.taskCompleting}).
 */
final class FutureWaitInstrumenter implements Instrumenter {

    static final String FUTURE_TASK = "java/util/concurrent/FutureTask";

    @Override
    public Set<String> classNames() {
        return Set.of(FUTURE_TASK);
    }

    @Override
    public MethodVisitor method(String owner, int access, String name, String desc, MethodVisitor mv) {
        if ((name.equals("set") && desc.equals("(Ljava/lang/Object;)V"))
                || (name.equals("setException") && desc.equals("(Ljava/lang/Throwable;)V"))) {
            // on entry, before the state becomes final: a get() that finds the task done returns at once
            return new InsertedCode(mv) {
                @Override
                protected void atEntry() {
                    load(Opcodes.ALOAD, 0);
                    bridge("futureCompleting", "(Ljava/lang/Object;)V");
                }
            };
        }
        if (!name.equals("awaitDone") || !desc.equals("(ZJ)I")) {
            return mv;
        }
        return new InsertedCode(mv) {
            private final Label start = new Label();
            private final Label end = new Label();
            private final Label handler = new Label();

            @Override
            protected void atEntry() {
                load(Opcodes.ALOAD, 0);
                load(Opcodes.ILOAD, 1);
                bridge("futureAwait", "(Ljava/lang/Object;Z)V");
                super.visitLabel(start);
            }

            @Override
            protected void beforeReturn(int opcode) {
                bridge("futureAwaitDone", "()V");
            }

            /**
             * And where the wait throws (InterruptedException): a catch-all handler, last in the exception
             * table so that it sees only what the method itself does not catch, reports the exit and
             * rethrows. Its frame holds the parameters (this, boolean timed, long nanos).
             */
            @Override
            public void visitMaxs(int maxStack, int maxLocals) {
                super.visitLabel(end);
                super.visitTryCatchBlock(start, end, handler, null);
                super.visitLabel(handler);
                super.visitFrame(Opcodes.F_FULL, 3, new Object[] {FUTURE_TASK, Opcodes.INTEGER, Opcodes.LONG},
                        1, new Object[] {"java/lang/Throwable"});
                bridge("futureAwaitDone", "()V");
                insn(Opcodes.ATHROW);
                super.visitMaxs(maxStack, maxLocals);
            }
        };
    }
}
