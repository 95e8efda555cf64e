package io.threadgov.governor;

/** Which pools the governor may resize: {@code threadgov.pools}. */
public enum PoolScope {
    /** Only pools created on a governed worker thread. */
    NESTED,
    /** Also top-level pools (cut to the creating thread's share, which is the budget). */
    ALL,
    /** No pool is resized; pools are still recorded. */
    NONE;

    public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
