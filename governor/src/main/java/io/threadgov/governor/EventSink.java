package io.threadgov.governor;

/**
 * Where the governor's decisions are recorded beside the report (JFR events). Implementations must be
 * cheap when nobody listens and must not throw.
 */
public interface EventSink {

    void poolGoverned(PoolDecision d);

    void starvationRelief(PoolDecision d, int from, int to, long blockedMillis, int queued);

    void nativeRuntime(java.util.Map<String, Object> record);

    /** A live pool's parallelism changed by its demand or its users. */
    default void poolRedecided(PoolDecision d, PoolDecision.Redecision r) {
    }

    void nativeLimit(String runtime, String scope, int oldThreads, int newThreads, String thread);

    /** Host scope: this JVM's grant of the host's {@code cores} changed from {@code from} to {@code to}. */
    default void hostBudget(int cores, int from, int to, int demand, int othersDemand, int jvms) {
    }

    EventSink NONE = new EventSink() {
        @Override public void poolGoverned(PoolDecision d) { }
        @Override public void starvationRelief(PoolDecision d, int from, int to, long blockedMillis, int queued) { }
        @Override public void nativeRuntime(java.util.Map<String, Object> record) { }
        @Override public void nativeLimit(String runtime, String scope, int oldThreads, int newThreads, String thread) { }
    };
}
