package io.threadgov.agent;

import java.lang.instrument.Instrumentation;

/**
 * The class the JVM loads first, for {@code -javaagent}, for {@code attach}, and as the jar's main class.
 * It does almost nothing: it puts the bootstrap bridge on the bootstrap class path and hands over to
 * {@link Installer}, so that no ByteBuddy or governor class is loaded before the bridge is in place.
 */
public final class ThreadGovAgent {

    private ThreadGovAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static void start(String args, Instrumentation inst, boolean late) {
        try {
            if (late && io.threadgov.agent.cli.AgentCommands.handle(args)) {
                return;
            }
            if (!BootstrapInjector.inject(inst)) {
                return;
            }
            Installer.install(args, inst, late);
        } catch (Throwable t) {
            System.err.println("threadgov: agent failed to start, the application runs on ungoverned: " + t);
        }
    }

    /** {@code java -jar threadgov-agent.jar info|attach ...}. */
    public static void main(String[] args) throws Exception {
        io.threadgov.agent.cli.Cli.main(args);
    }
}
