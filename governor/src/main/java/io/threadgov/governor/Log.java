package io.threadgov.governor;

import java.io.PrintStream;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's one voice: a {@link System.Logger} that prints one line per message on stderr, prefixed
 * {@code threadgov:}, filtered by {@code threadgov.log}. Also counts every failure the agent swallowed, by
 * stage, and prints only the first failure of each stage so a broken part cannot flood the host's stderr.
 */
public final class Log implements System.Logger {

    private static final Log INSTANCE = new Log();
    private static volatile LogLevel level = LogLevel.WARN;
    private static final ConcurrentHashMap<String, AtomicLong> FAILURES = new ConcurrentHashMap<>();
    private static volatile PrintStream err = System.err;

    private Log() {
    }

    public static Log get() { return INSTANCE; }

    public static void setLevel(LogLevel l) { level = l; }

    public static LogLevel level() { return level; }

    /** A problem the user must see (bad input, a stage that failed): printed unless quiet. */
    public static void warn(String msg) { INSTANCE.log(Level.WARNING, msg); }

    public static void info(String msg) { INSTANCE.log(Level.INFO, msg); }

    public static void debug(String msg) { INSTANCE.log(Level.DEBUG, msg); }

    public static boolean debugEnabled() { return level == LogLevel.DEBUG; }

    /**
     * Counts a failure swallowed in {@code stage}; the first of each stage is one line on stderr naming
     * the stage and the cause, and the application runs on.
     */
    public static void failure(String stage, Throwable t) {
        long n = FAILURES.computeIfAbsent(stage, k -> new AtomicLong()).incrementAndGet();
        if (n == 1) {
            warn(stage + " failed, continuing without it: " + describe(t));
        } else if (debugEnabled()) {
            debug(stage + " failed again (" + n + "): " + describe(t));
        }
    }

    /** Failures swallowed so far, by stage. */
    public static java.util.Map<String, Long> failures() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        FAILURES.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getName() + (m == null ? "" : ": " + m.replace('\n', ' '));
    }

    @Override
    public String getName() { return "threadgov"; }

    @Override
    public boolean isLoggable(Level l) {
        switch (level) {
            case QUIET: return false;
            case WARN: return l.getSeverity() >= Level.WARNING.getSeverity();
            case INFO: return l.getSeverity() >= Level.INFO.getSeverity();
            default: return true;
        }
    }

    @Override
    public void log(Level l, ResourceBundle bundle, String msg, Throwable thrown) {
        if (isLoggable(l)) {
            err.println("threadgov: " + msg + (thrown == null ? "" : ": " + describe(thrown)));
        }
    }

    @Override
    public void log(Level l, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(l)) {
            err.println("threadgov: " + (params == null || params.length == 0
                    ? format : java.text.MessageFormat.format(format, params)));
        }
    }
}
