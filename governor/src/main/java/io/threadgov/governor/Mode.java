package io.threadgov.governor;

/** What the governor does with its decisions: {@code threadgov.mode}. */
public enum Mode {
    /** Decide, record, and change pool sizes and native thread counts. */
    ENFORCE,
    /** Decide and record, change nothing. */
    OBSERVE,
    /** Do nothing at all: no instrumentation. */
    OFF;

    public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
