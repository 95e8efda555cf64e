package io.threadgov.governor;

/** What the agent prints on stderr: {@code threadgov.log}. */
public enum LogLevel {
    QUIET, WARN, INFO, DEBUG;

    public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
