package io.threadgov.agent.cli;

/** {@code java -jar threadgov-agent.jar ...} (placeholder until the CLI lands). */
public final class Cli {

    private Cli() {
    }

    public static void main(String[] args) {
        System.err.println("usage: java -jar threadgov-agent.jar info [--json] | info PID [--json] | attach PID [key=value,...]");
    }
}
