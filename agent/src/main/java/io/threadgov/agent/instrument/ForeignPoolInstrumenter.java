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

    /** Per class: the governor's key of its library, then the hooked methods' names and descriptors. */
    private static final Map<String, String[]> LOOPS = Map.of(
            TOMCAT, new String[] {"tomcat", "runWorker", "(Lorg/apache/tomcat/util/threads/ThreadPoolExecutor$Worker;)V"},
            JETTY, new String[] {"jetty", "run", "()V"},
            // Netty 4.2 (public, returns the previous executor); 4.1 (private, void)
            NETTY, new String[] {"netty", "setCurrentExecutor",
                "(Lio/netty/util/concurrent/EventExecutor;)Lio/netty/util/concurrent/EventExecutor;",
                "setCurrentEventExecutor", "(Lio/netty/util/concurrent/EventExecutor;)V"},
            KOTLIN, new String[] {"kotlin", "run", "()V"});

    @Override
    public Set<String> classNames() {
        return LOOPS.keySet();
    }

    @Override
    public MethodVisitor method(String owner, int access, String name, String desc, MethodVisitor mv) {
        String[] loop = LOOPS.get(owner);
        if (loop == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || !hooked(loop, name, desc)) {
            return mv;
        }
        String kind = loop[0];
        return new InsertedCode(mv) {
            @Override
            protected void atEntry() {
                load(Opcodes.ALOAD, 0); // this, or the static method's first argument (Netty's event loop)
                super.visitLdcInsn(kind);
                bridge("foreignThread", "(Ljava/lang/Object;Ljava/lang/String;)V");
            }
        };
    }

    private static boolean hooked(String[] loop, String name, String desc) {
        for (int i = 1; i + 1 < loop.length; i += 2) {
            if (loop[i].equals(name) && loop[i + 1].equals(desc)) {
                return true;
            }
        }
        return false;
    }
}
