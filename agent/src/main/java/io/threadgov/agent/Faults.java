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

    /**
     * The stages that can be made to fail: config (the common pool sizing), instrumentation, jfr, jmx,
     * native, report, decision (the pool hooks throw into the bootstrap bridge), relief (starvation relief
     * refuses to start; checked by the governor itself through {@code Config.fault()}).
     */
    public static final java.util.List<String> STAGES = java.util.List.of("config", "instrumentation", "jfr", "jmx",
            "native", "report", "decision", "relief");

    /**
     * Test-only stages that delay instead of failing: {@code slow-start} holds threadgov-init inside the
     * deferred start, so an application thread meets it running (see {@code DeferredStart}); {@code slow-scan}
     * holds it after the native layer is installed and before its first scan, longer than a pool hook waits.
     */
    public void pause(String s, long millis) {
        if (stage != null && s.equals(stage)) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Throws when the switch names {@code s}. */
    public void check(String s) {
        if (stage != null && s.equals(stage)) {
            throw new IllegalStateException("injected fault in stage '" + s + "'");
        }
    }
}
