package io.threadgov.agent.cli;

/** Commands that a CLI sends to an agent already running in a JVM (placeholder until the CLI lands). */
public final class AgentCommands {

    private AgentCommands() {
    }

    /** Returns true when {@code args} was a command handled here, so the agent must not install again. */
    public static boolean handle(String args) {
        return false;
    }
}
