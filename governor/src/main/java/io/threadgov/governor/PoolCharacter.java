package io.threadgov.governor;

/** What a pool's tasks do with their time, from its measured demand (see {@link PoolDemand}). */
public enum PoolCharacter {
    /** Too little measured yet: decided as if it computed. */
    UNKNOWN("unknown"),
    /** Its workers want a core most of the time (demand at least {@link PoolDemand#COMPUTES}). */
    COMPUTES("computes"),
    /** Between the two. */
    MIXED("mixed"),
    /** Its workers mostly wait (demand below {@link PoolDemand#WAITS}): sleeps, I/O, locks, other tasks. */
    WAITS("waits");

    private final String key;

    PoolCharacter(String key) {
        this.key = key;
    }

    /** The name in the report, the JFR events and the MXBean. */
    public String key() {
        return key;
    }
}
