package io.threadgov.agent;

/**
 * The test-only switch {@code threadgov.fault=STAGE}: makes the named stage throw, so tests can prove
 * that a failure in any stage leaves the application running as if the agent were absent.
 */
public final class Faults {

    private final String stage;

    public Faults(String stage) {
        this.stage = stage;
    }

    /** Throws when the switch names {@code s}. */
    public void check(String s) {
        if (s.equals(stage)) {
            throw new IllegalStateException("injected fault in stage '" + s + "'");
        }
    }
}
