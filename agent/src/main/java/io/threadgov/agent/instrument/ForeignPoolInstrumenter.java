package io.threadgov.agent.instrument;

import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The worker loops of other libraries' pools (Tomcat, Jetty, Netty, Kotlin coroutines): at the loop's entry the
 * thread tells the governor whose pool it works for ({@code Bridge.foreignThread}); the governor's ForeignPools
 * says what follows. One method per library, passed what it sees ({@code this} or its argument); the governor
 * reaches the pool from it by reflection, so a changed library costs a debug line, never a linkage error.
 */
final class ForeignPoolInstrumenter implements Instrumenter {

    static final String TOMCAT = "org/apache/tomcat/util/threads/ThreadPoolExecutor";
    static final String JETTY = "org/eclipse/jetty/util/thread/QueuedThreadPool$Runner";
    static final String NETTY = "io/netty/util/internal/ThreadExecutorMap";
    static final String KOTLIN = "kotlinx/coroutines/scheduling/CoroutineScheduler$Worker";

    /** Per class: the method (name and descriptor) and the governor's key of its library. */
    private static final Map<String, String[]> LOOPS = Map.of(
            TOMCAT, new String[] {"runWorker", "(Lorg/apache/tomcat/util/threads/ThreadPoolExecutor$Worker;)V", "tomcat"},
            JETTY, new String[] {"run", "()V", "jetty"},
            NETTY, new String[] {"setCurrentEventExecutor", "(Lio/netty/util/concurrent/EventExecutor;)V", "netty"},
            KOTLIN, new String[] {"run", "()V", "kotlin"});

    @Override
    public Set<String> classNames() {
        return LOOPS.keySet();
    }

    @Override
    public MethodVisitor method(String owner, int access, String name, String desc, MethodVisitor mv) {
        String[] loop = LOOPS.get(owner);
        if (loop == null || !loop[0].equals(name) || !loop[1].equals(desc)
                || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
            return mv;
        }
        String kind = loop[2];
        return new InsertedCode(mv) {
            @Override
            protected void atEntry() {
                load(Opcodes.ALOAD, 0); // this, or the static method's first argument (Netty's event loop)
                super.visitLdcInsn(kind);
                bridge("foreignThread", "(Ljava/lang/Object;Ljava/lang/String;)V");
            }
        };
    }
}
