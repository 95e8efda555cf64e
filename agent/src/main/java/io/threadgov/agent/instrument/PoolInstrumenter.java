package io.threadgov.agent.instrument;

import java.util.Set;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The JDK's pools.
 * <ul>
 * <li>The one ThreadPoolExecutor constructor every other constructor, subclass and {@code Executors}
 *     factory ends in: its core and maximum sizes are replaced by the granted ones on entry, the pool
 *     is registered on return.</li>
 * <li>The ForkJoinPool constructor every public constructor ends in: likewise for parallelism.</li>
 * <li>The worker run loops ({@code runWorker}) and their exits ({@code processWorkerExit},
 *     {@code deregisterWorker}, both run by the worker itself, also when it dies of an exception).</li>
 * <li>The points where a worker waits for work ({@code getTask}, {@code awaitWork}), so that busy
 *     workers can be counted.</li>
 * <li>ThreadPoolExecutor's {@code execute}, which every submission passes, so that a pool is judged by the
 *     threads that feed it.</li>
 * </ul>
 */
final class PoolInstrumenter implements Instrumenter {

    static final String TPE = "java/util/concurrent/ThreadPoolExecutor";
    static final String FJP = "java/util/concurrent/ForkJoinPool";
    static final String TPE_CONSTRUCTOR = "(IIJLjava/util/concurrent/TimeUnit;Ljava/util/concurrent/BlockingQueue;"
            + "Ljava/util/concurrent/ThreadFactory;Ljava/util/concurrent/RejectedExecutionHandler;)V";
    static final String FJP_CONSTRUCTOR = "(ILjava/util/concurrent/ForkJoinPool$ForkJoinWorkerThreadFactory;"
            + "Ljava/lang/Thread$UncaughtExceptionHandler;ZIIILjava/util/function/Predicate;JLjava/util/concurrent/TimeUnit;)V";

    @Override
    public Set<String> classNames() {
        return Set.of(TPE, FJP);
    }

    @Override
    public MethodVisitor method(String owner, int access, String name, String desc, MethodVisitor mv) {
        boolean tpe = owner.equals(TPE);
        if (name.equals("<init>")) {
            if (tpe && desc.equals(TPE_CONSTRUCTOR)) {
                return new ThreadPoolConstructor(mv);
            }
            if (!tpe && desc.equals(FJP_CONSTRUCTOR)) {
                return new ForkJoinConstructor(mv);
            }
            return mv;
        }
        switch (name) {
            case "runWorker":
                return new WorkerStart(mv, tpe);
            case "processWorkerExit":
            case "deregisterWorker":
                return tpe == name.equals("processWorkerExit") ? new WorkerEnd(mv) : mv;
            case "getTask":
                return tpe ? new GetTask(mv) : mv;
            case "execute":
                return tpe && desc.equals("(Ljava/lang/Runnable;)V") ? new Execute(mv) : mv;
            case "awaitWork":
                return tpe ? mv : new AwaitWork(mv);
            default:
                return mv;
        }
    }

    /** core = Bridge.threadPoolEnter(core, max, queue); max = Bridge.threadPoolMax(max); ... Bridge.poolCreated(this). */
    private static final class ThreadPoolConstructor extends InsertedCode {
        ThreadPoolConstructor(MethodVisitor mv) {
            super(mv);
        }

        @Override
        protected void atEntry() {
            // slots: 0 this, 1 core, 2 max, 3-4 keepAlive (long), 5 unit, 6 queue, 7 factory, 8 handler
            load(Opcodes.ILOAD, 1);
            load(Opcodes.ILOAD, 2);
            load(Opcodes.ALOAD, 6);
            bridge("threadPoolEnter", "(IILjava/util/concurrent/BlockingQueue;)I");
            store(Opcodes.ISTORE, 1);
            load(Opcodes.ILOAD, 2);
            bridge("threadPoolMax", "(I)I");
            store(Opcodes.ISTORE, 2);
        }

        @Override
        protected void beforeReturn(int opcode) {
            load(Opcodes.ALOAD, 0);
            bridge("poolCreated", "(Ljava/lang/Object;)V");
        }
    }

    /** parallelism = Bridge.forkJoinEnter(parallelism); ... Bridge.poolCreated(this). */
    private static final class ForkJoinConstructor extends InsertedCode {
        ForkJoinConstructor(MethodVisitor mv) {
            super(mv);
        }

        @Override
        protected void atEntry() {
            load(Opcodes.ILOAD, 1);
            bridge("forkJoinEnter", "(I)I");
            store(Opcodes.ISTORE, 1);
        }

        @Override
        protected void beforeReturn(int opcode) {
            load(Opcodes.ALOAD, 0);
            bridge("poolCreated", "(Ljava/lang/Object;)V");
        }
    }

    /**
     * Bridge.workerStart(this) on entry; in ThreadPoolExecutor's, also Bridge.taskFirst(task) where the loop reads
     * the worker's first task ({@code task = w.firstTask}, JDK 17 to 25): the tasks it takes later are told by
     * getTask's hook (Bridge.taskGot), outside the worker's lock. A runWorker that read no {@code firstTask} field
     * would leave only first tasks untold (their demand samples, their early end), nothing else.
     */
    private static final class WorkerStart extends InsertedCode {
        static final String WORKER = "java/util/concurrent/ThreadPoolExecutor$Worker";
        private final boolean tpe;
        private boolean firstTaskSeen;

        WorkerStart(MethodVisitor mv, boolean tpe) {
            super(mv);
            this.tpe = tpe;
        }

        @Override
        protected void atEntry() {
            load(Opcodes.ALOAD, 0);
            bridge("workerStart", "(Ljava/lang/Object;)V");
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String desc) {
            super.visitFieldInsn(opcode, owner, name, desc);
            if (tpe && !firstTaskSeen && opcode == Opcodes.GETFIELD && owner.equals(WORKER)
                    && name.equals("firstTask") && desc.equals("Ljava/lang/Runnable;")) {
                firstTaskSeen = true;
                insn(Opcodes.DUP); // the task just read, kept for the store that follows
                bridge("taskFirst", "(Ljava/lang/Object;)V");
            }
        }
    }

    /** Bridge.workerEnd() on entry. */
    private static final class WorkerEnd extends InsertedCode {
        WorkerEnd(MethodVisitor mv) {
            super(mv);
        }

        @Override
        protected void atEntry() {
            bridge("workerEnd", "()V");
        }
    }

    /** Bridge.poolSubmitted(this) on entry. */
    private static final class Execute extends InsertedCode {
        Execute(MethodVisitor mv) {
            super(mv);
        }

        @Override
        protected void atEntry() {
            load(Opcodes.ALOAD, 0);
            bridge("poolSubmitted", "(Ljava/lang/Object;)V");
        }
    }

    /** Bridge.taskMaybeIdle(this) on entry, Bridge.taskGot(task) before return (taskStart and taskRunning in one). */
    private static final class GetTask extends InsertedCode {
        GetTask(MethodVisitor mv) {
            super(mv);
        }

        @Override
        protected void atEntry() {
            load(Opcodes.ALOAD, 0);
            bridge("taskMaybeIdle", "(Ljava/lang/Object;)V");
        }

        @Override
        protected void beforeReturn(int opcode) {
            insn(Opcodes.DUP);
            bridge("taskGot", "(Ljava/lang/Object;)V");
        }
    }

    /** Bridge.taskIdle() on entry, Bridge.taskStart() before return. */
    private static final class AwaitWork extends InsertedCode {
        AwaitWork(MethodVisitor mv) {
            super(mv);
        }

        @Override
        protected void atEntry() {
            bridge("taskIdle", "()V");
        }

        @Override
        protected void beforeReturn(int opcode) {
            bridge("taskStart", "()V");
        }
    }
}
