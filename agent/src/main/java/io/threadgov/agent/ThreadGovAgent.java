package io.threadgov.agent;

import java.lang.instrument.Instrumentation;

/**
 * The class the JVM loads first, for {@code -javaagent}, for {@code attach}, and as the jar's main class.
 * It does almost nothing: it hands over to {@link Installer}, which reads the configuration and, unless
 * the agent is off, defines the bootstrap bridge before any instrumentation exists.
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
