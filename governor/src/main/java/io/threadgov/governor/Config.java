package io.threadgov.governor;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The validated configuration of one governed JVM.
 *
 * <p>Every key may be given as a system property ({@code -Dthreadgov.cores=4}) or as an agent argument
 * ({@code -javaagent:threadgov-agent.jar=cores=4,mode=observe}); the system property wins. A bad value
 * never stops the application: it becomes a {@link #problems() problem} (one line naming the key, the
 * value and what is allowed) and the setting falls back to the choice that governs less.
 */
public final class Config {

    /** The largest budget accepted: the JDK's own cap on ForkJoinPool parallelism. */
    public static final int MAX_BUDGET = 0x7fff;

    static final String PREFIX = "threadgov.";

    /** The documented keys, in the order of the README's table. */
    public static final List<String> KEYS = List.of("cores", "mode", "pools", "native", "report", "log", "starvation", "admission", "gemm_blocks", "demand", "scope");

    /** Keys accepted but not documented for users: test-only switches. */
    static final List<String> HIDDEN_KEYS = List.of("fault", "host_table");

    /** Default for {@code threadgov.starvation}: how long a cut pool may sit fully blocked with work queued. */
    public static final long DEFAULT_STARVATION_MS = 100;

    private final int budget;
    private final String budgetSource;
    private final int availableProcessors;
    private final Mode mode;
    private final PoolScope pools;
    private final boolean nativeAuto;
    private final Path report;
    private final LogLevel log;
    private final long starvationMillis;
    private final boolean admission;
    private final boolean gemmBlocks;
    private final boolean demand;
    private final BudgetScope scope;
    private final Path hostTable;
    private final String fault;
    private final boolean budgetTrusted;
    private final List<String> problems;

    private Config(Builder b) {
        this.budget = b.budget;
        this.budgetSource = b.budgetSource;
        this.availableProcessors = b.availableProcessors;
        this.mode = b.mode;
        this.pools = b.pools;
        this.nativeAuto = b.nativeAuto;
        this.report = b.report;
        this.log = b.log;
        this.starvationMillis = b.starvationMillis;
        this.admission = b.admission;
        this.gemmBlocks = b.gemmBlocks;
        this.demand = b.demand;
        this.scope = b.scope;
        this.hostTable = b.hostTable;
        this.fault = b.fault;
        this.budgetTrusted = b.budgetTrusted;
        this.problems = Collections.unmodifiableList(new ArrayList<>(b.problems));
    }

    /** The defaults for a JVM with {@code availableProcessors} processors. */
    public static Config defaults(int availableProcessors) {
        return parse(null, new Properties(), availableProcessors);
    }

    /**
     * Parses agent arguments ({@code key=value,key=value}, keys with or without the {@code threadgov.}
     * prefix) and system properties; a system property wins over an argument.
     */
    public static Config parse(String agentArgs, Properties systemProperties, int availableProcessors) {
        Builder b = new Builder(Math.max(1, availableProcessors));
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        if (agentArgs != null && !agentArgs.isBlank()) {
            for (String part : agentArgs.split(",")) {
                String item = part.trim();
                if (item.isEmpty()) {
                    continue;
                }
                int eq = item.indexOf('=');
                if (eq <= 0) {
                    b.problems.add("threadgov: agent argument '" + item + "' is not key=value; allowed keys: "
                            + String.join(", ", KEYS) + "; ignored");
                    continue;
                }
                String key = item.substring(0, eq).trim();
                if (key.startsWith(PREFIX)) {
                    key = key.substring(PREFIX.length());
                }
                if (!KEYS.contains(key) && !HIDDEN_KEYS.contains(key)) {
                    b.problems.add("threadgov: unknown agent argument '" + key + "'; allowed keys: "
                            + String.join(", ", KEYS) + "; ignored");
                    continue;
                }
                raw.put(key, item.substring(eq + 1).trim());
                origin.put(key, "agent argument");
            }
        }
        for (String key : KEYS) {
            String v = systemProperties.getProperty(PREFIX + key);
            if (v != null) {
                raw.put(key, v.trim());
                origin.put(key, "-D" + PREFIX + key);
            }
        }
        String f = systemProperties.getProperty(PREFIX + "fault");
        if (f != null) {
            raw.put("fault", f.trim());
        }
        b.apply(raw, origin);
        return new Config(b);
    }

    /** The budget B (the user's key {@code threadgov.cores}). */
    public int budget() { return budget; }

    /** Where {@link #budget()} came from: a property, an argument, or {@code availableProcessors()}. */
    public String budgetSource() { return budgetSource; }

    public int availableProcessors() { return availableProcessors; }

    public Mode mode() { return mode; }

    public PoolScope pools() { return pools; }

    /** {@code threadgov.native=auto}. */
    public boolean nativeAuto() { return nativeAuto; }

    /** Where to write the JSON report at exit, or null. */
    public Path report() { return report; }

    public LogLevel log() { return log; }

    /** How long a cut pool may have all workers blocked while tasks wait, before it is grown back. */
    public long starvationMillis() { return starvationMillis; }

    /**
     * {@code threadgov.admission=on}: workers of a top-level thread pool larger than the budget take a
     * core before they run a task (see {@code CpuAdmission}); in effect only in enforce mode, and not with
     * {@code pools=none}.
     */
    public boolean admission() { return admission && enforcing() && pools != PoolScope.NONE; }

    /**
     * {@code threadgov.gemm_blocks=on} (off by default): a large dgemm of JavaCPP's OpenBLAS that starts
     * at 1 thread of a budget of 2 or more runs as row blocks, each at the thread count of its own start (see
     * {@code GemmBlocks}); in effect only in enforce mode with native governing on. Off by default since
     * 2026-12-03 (d8cd764): the wrapped native slowed the bundled phased kernel's pool of small products while it
     * cut no call (partly JIT warm-up of the hook), and no bundled kernel gained from it (BENCHMARKS.md, History,
     * 2026-12-03 d8cd764..bb7a9a8, "Why gemm blocks are now opt-in").
     */
    public boolean gemmBlocks() { return gemmBlocks && enforcing() && nativeAuto; }

    /**
     * {@code threadgov.demand} (on by default): pools are sized by what their workers do, measured (see
     * {@code PoolDemand}): a nested pool whose tasks wait keeps its threads, and a pool fed by threads outside
     * its creator's pool is decided for them. Off: pools are decided at birth by their creator's share alone.
     */
    /** {@code threadgov.scope}: whose cores the budget is (jvm by default; host: shared by this user's JVMs). */
    public BudgetScope scope() { return scope; }

    /** Host scope's table file when set ({@code threadgov.host_table}, not documented for users), else null. */
    public Path hostTable() { return hostTable; }

    public boolean demand() { return demand && mode != Mode.OFF && pools != PoolScope.NONE; }

    /** The test-only fault injection stage, or null. */
    public String fault() { return fault; }

    /** True when the application is to be changed: mode enforce and the budget was valid. */
    public boolean enforcing() { return mode == Mode.ENFORCE && budgetTrusted; }

    /** The bad values found, one message each; empty when all is well. */
    public List<String> problems() { return problems; }

    /** Returns a copy with another budget (the MXBean's setter). */
    public Config withBudget(int newBudget, String source) {
        Builder b = toBuilder();
        b.budget = newBudget;
        b.budgetSource = source;
        b.budgetTrusted = true;
        return new Config(b);
    }

    /** Returns a copy with another mode (the MXBean's setter). */
    public Config withMode(Mode newMode) {
        Builder b = toBuilder();
        b.mode = newMode;
        return new Config(b);
    }

    private Builder toBuilder() {
        Builder b = new Builder(availableProcessors);
        b.budget = budget;
        b.budgetSource = budgetSource;
        b.mode = mode;
        b.pools = pools;
        b.nativeAuto = nativeAuto;
        b.report = report;
        b.log = log;
        b.starvationMillis = starvationMillis;
        b.admission = admission;
        b.gemmBlocks = gemmBlocks;
        b.demand = demand;
        b.scope = scope;
        b.hostTable = hostTable;
        b.fault = fault;
        b.budgetTrusted = budgetTrusted;
        return b;
    }

    @Override
    public String toString() {
        return "cores=" + budget + ",mode=" + mode.key() + ",pools=" + pools.key() + ",native="
                + (nativeAuto ? "auto" : "off") + ",admission=" + (admission ? "on" : "off")
                + (gemmBlocks ? ",gemm_blocks=on" : "") + (demand ? "" : ",demand=off") + (scope == BudgetScope.HOST ? ",scope=host" : "") + (report == null ? "" : ",report=" + report) + ",log=" + log.key();
    }

    /** The values being parsed, with their defaults, and the problems found so far. */
    private static final class Builder {
        final int availableProcessors;
        int budget;
        String budgetSource = "availableProcessors()";
        Mode mode = Mode.ENFORCE;
        PoolScope pools = PoolScope.NESTED;
        boolean nativeAuto = true;
        Path report;
        LogLevel log = LogLevel.WARN;
        long starvationMillis = DEFAULT_STARVATION_MS;
        boolean admission = false;
        boolean gemmBlocks = false;
        boolean demand = true;
        BudgetScope scope = BudgetScope.JVM;
        Path hostTable;
        String fault;
        boolean budgetTrusted = true;
        final List<String> problems = new ArrayList<>();

        Builder(int availableProcessors) {
            this.availableProcessors = availableProcessors;
            this.budget = availableProcessors;
        }

        void apply(Map<String, String> raw, Map<String, String> origin) {
            String v;
            if ((v = raw.get("cores")) != null) {
                Long n = parseLong(v);
                if (n == null || n < 1 || n > MAX_BUDGET) {
                    bad("cores", v, "an integer from 1 to " + MAX_BUDGET,
                            "nothing is resized (observe only, budget " + availableProcessors + ")");
                    budgetTrusted = false;
                } else {
                    budget = n.intValue();
                    budgetSource = origin.get("cores");
                }
            }
            if ((v = raw.get("mode")) != null) {
                Mode m = parseEnum(Mode.class, v);
                if (m == null) {
                    bad("mode", v, "enforce, observe, off", "observe only");
                    mode = Mode.OBSERVE;
                } else {
                    mode = m;
                }
            }
            if ((v = raw.get("pools")) != null) {
                PoolScope p = parseEnum(PoolScope.class, v);
                if (p == null) {
                    bad("pools", v, "nested, all, none", "no pool is resized");
                    pools = PoolScope.NONE;
                } else {
                    pools = p;
                }
            }
            if ((v = raw.get("native")) != null) {
                String w = v.toLowerCase(Locale.ROOT);
                if (w.equals("auto")) {
                    nativeAuto = true;
                } else if (w.equals("off")) {
                    nativeAuto = false;
                } else {
                    bad("native", v, "auto, off", "native runtimes are not governed");
                    nativeAuto = false;
                }
            }
            if ((v = raw.get("report")) != null) {
                v = v.replace("%p", Long.toString(ProcessHandle.current().pid())); // one report per process
                String why = reportPathProblem(v);
                if (why != null) {
                    problems.add("threadgov: bad value '" + v + "' for " + PREFIX + "report: " + why
                            + " (allowed: a path to a new or regular file in a writable directory); no report is written");
                } else {
                    report = Path.of(v).toAbsolutePath();
                }
            }
            if ((v = raw.get("log")) != null) {
                LogLevel l = parseEnum(LogLevel.class, v);
                if (l == null) {
                    bad("log", v, "quiet, warn, info, debug", "using warn");
                } else {
                    log = l;
                }
            }
            if ((v = raw.get("starvation")) != null) {
                Long n = parseLong(v.endsWith("ms") ? v.substring(0, v.length() - 2) : v);
                if (n == null || n < 1 || n > 600_000) {
                    bad("starvation", v, "milliseconds from 1 to 600000", "using " + DEFAULT_STARVATION_MS);
                } else {
                    starvationMillis = n;
                }
            }
            admission = onOff(raw, "admission", admission,
                    "no admission: top-level pools run as the application sized them");
            gemmBlocks = onOff(raw, "gemm_blocks", gemmBlocks, "every gemm call runs whole, at the count of its start");
            demand = onOff(raw, "demand", demand, "pools are decided by their creator's share alone");
            if ((v = raw.get("scope")) != null) {
                BudgetScope sc = parseEnum(BudgetScope.class, v);
                if (sc == null) {
                    bad("scope", v, "jvm, host", "this JVM governs its own budget");
                } else {
                    scope = sc;
                }
            }
            if ((v = raw.get("host_table")) != null) {
                hostTable = Path.of(v).toAbsolutePath(); // where host scope's table lies (tests; default /dev/shm)
            }
            fault = raw.get("fault");
        }

        /** An on/off key: its value, {@code current} when unset, off (with a problem) when neither. */
        private boolean onOff(Map<String, String> raw, String key, boolean current, String offMeans) {
            String v = raw.get(key);
            if (v == null) {
                return current;
            }
            String w = v.trim().toLowerCase(Locale.ROOT);
            if (w.equals("on") || w.equals("off")) {
                return w.equals("on");
            }
            bad(key, v, "on, off", offMeans);
            return false;
        }

        private void bad(String key, String value, String allowed, String fallback) {
            problems.add("threadgov: bad value '" + value + "' for " + PREFIX + key + " (allowed: " + allowed
                    + "); " + fallback);
        }

        private static Long parseLong(String v) {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static <E extends Enum<E>> E parseEnum(Class<E> type, String v) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v.trim())) {
                    return e;
                }
            }
            return null;
        }

        private static String reportPathProblem(String v) {
            if (v.isEmpty()) {
                return "empty path";
            }
            Path p;
            try {
                p = Path.of(v).toAbsolutePath();
            } catch (RuntimeException e) {
                return "not a path";
            }
            if (Files.isSymbolicLink(p)) {
                return "it is a symbolic link, which is never followed";
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return "it exists and is not a regular file";
            }
            Path dir = p.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                return "directory " + dir + " does not exist";
            }
            if (!Files.isWritable(dir)) {
                return "directory " + dir + " is not writable";
            }
            return null;
        }
    }
}
