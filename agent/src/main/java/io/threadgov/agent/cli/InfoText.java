package io.threadgov.agent.cli;

import java.util.List;
import java.util.Map;

/** Renders the {@code info} maps for people: one fact per line, aligned. */
final class InfoText {

    private InfoText() {
    }

    /** The local {@code info}: budget, CPU limits, JVM threads, native candidates, warnings. */
    @SuppressWarnings("unchecked")
    static String local(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        sb.append("threadgov info: a JVM like this one (JDK ").append(m.get("jdk")).append(", ").append(m.get("os"))
                .append(")\n");
        line(sb, "budget", m.get("budget") + "  (from " + m.get("budget_source") + ")");
        line(sb, "mode", m.get("mode") + ", pools " + m.get("pools_mode") + ", native " + m.get("native_mode"));
        line(sb, "availableProcessors", m.get("available_processors"));
        Map<String, Object> cpu = (Map<String, Object>) m.get("cpu");
        Object q = cpu.get("cgroup_quota_cores");
        line(sb, "cgroup v" + cpu.get("cgroup_version") + " CPU quota",
                q == null ? "none" : q + " cores (" + cpu.get("cgroup_quota_source") + ")");
        line(sb, "affinity", cpu.get("affinity") + " (" + cpu.get("affinity_cpus") + " CPUs)");
        line(sb, "online CPUs", cpu.get("online_cpus"));
        Map<String, Object> jvm = (Map<String, Object>) m.get("jvm_threads");
        line(sb, "GC", String.join(", ", (List<String>) jvm.get("gc")) + ": ParallelGCThreads "
                + jvm.get("ParallelGCThreads") + ", ConcGCThreads " + jvm.get("ConcGCThreads"));
        line(sb, "JIT", "CICompilerCount " + jvm.get("CICompilerCount"));
        List<Map<String, Object>> nat = (List<Map<String, Object>>) m.get("native");
        sb.append("native runtimes a JVM here could load (").append(nat.size()).append("):\n");
        for (Map<String, Object> r : nat) {
            sb.append(String.format("  %-7s %-15s %-9s %-8s %s%n", r.get("user_api"), r.get("internal_api"),
                    orDash(r.get("threading_layer")), orDash(r.get("version")), r.get("filepath")
                            + (r.get("filepath").equals(r.get("realpath")) ? "" : " -> " + r.get("realpath"))));
        }
        warnings(sb, (List<String>) m.get("warnings"));
        return sb.toString();
    }

    /** The report of a running JVM (Governor.report(), plus what the attach scan found). */
    @SuppressWarnings("unchecked")
    static String report(Map<String, Object> m, String pid) {
        StringBuilder sb = new StringBuilder();
        sb.append("threadgov report of JVM ").append(pid).append(" (JDK ").append(m.get("jdk")).append(", up ")
                .append(m.get("uptime_ms")).append(" ms)\n");
        line(sb, "budget", m.get("budget") + "  (from " + m.get("budget_source") + ")");
        line(sb, "mode", m.get("mode") + ", pools " + m.get("pools_mode") + ", native " + m.get("native_mode"));
        line(sb, "pools", m.get("pools_total") + " decided, " + m.get("pools_live") + " live, "
                + m.get("busy_workers") + " busy workers");
        List<Map<String, Object>> pools = (List<Map<String, Object>>) m.get("pools");
        if (!pools.isEmpty()) {
            sb.append(String.format("  %-20s %-6s %-5s %-9s %-7s %-5s %s%n", "kind", "nested", "depth", "requested",
                    "granted", "share", "creator"));
            for (Map<String, Object> p : pools) {
                sb.append(String.format("  %-20s %-6s %-5s %-9s %-7s %-5s %s%n", p.get("kind"), p.get("nested"),
                        p.get("depth"), p.get("requested"), p.get("granted"), p.get("share"), p.get("creator")));
            }
        }
        List<Map<String, Object>> nat = (List<Map<String, Object>>) m.get("native");
        sb.append("native runtimes (").append(nat.size()).append("):\n");
        for (Map<String, Object> r : nat) {
            sb.append(String.format("  %-7s %-10s %-9s %-8s threads %-3s scope %-7s %s%n", r.get("user_api"),
                    r.get("internal_api"), orDash(r.get("threading_layer")), orDash(r.get("version")),
                    r.get("num_threads"), orDash(r.get("scope")), r.get("filepath")));
        }
        Object env = m.get("native_environment");
        if (env instanceof Map) {
            line(sb, "native environment", environment((Map<String, Object>) env));
        }
        Object host = m.get("host");
        if (host instanceof Map) {
            Map<String, Object> h = (Map<String, Object>) host;
            line(sb, "host scope", "grant " + h.get("grant") + " of " + h.get("cores") + " cores, " + h.get("jvms")
                    + " JVMs, this one demands " + h.get("demand") + ", the others " + h.get("others_demand") + " ("
                    + h.get("table") + ")");
        }
        Object callers = m.get("native_callers");
        if (callers instanceof Map) {
            Map<String, Object> c = (Map<String, Object>) callers;
            line(sb, "native callers", c.get("entries") + " calls outside pools, at most " + c.get("peak")
                    + " at once, " + c.get("now") + " now");
        }
        Object foreign = m.get("foreign_pools");
        if (foreign instanceof List && !((List<?>) foreign).isEmpty()) {
            sb.append("other libraries' pools (not resized):\n");
            for (Map<String, Object> f : (List<Map<String, Object>>) foreign) {
                sb.append(String.format("  %-7s size %-5s share %-3s threads %-5s %s%n", f.get("kind"), f.get("size"),
                        f.get("share"), f.get("threads"), f.get("class")));
            }
        }
        Object pre = m.get("preexisting");
        if (pre instanceof Map) {
            sb.append(preexisting((Map<String, Object>) pre));
        }
        Object suppressed = m.get("suppressed");
        if (suppressed instanceof Map && !((Map<?, ?>) suppressed).isEmpty()) {
            line(sb, "suppressed failures", suppressed);
        }
        return sb.toString();
    }

    /** The spin-wait variables: {@code GOMP_SPINCOUNT=10000 (threadgov), KMP_BLOCKTIME=50 (user), ...}. */
    @SuppressWarnings("unchecked")
    static String environment(Map<String, Object> env) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> v : (List<Map<String, Object>>) env.get("variables")) {
            b.append(b.length() == 0 ? "" : ", ").append(v.get("name"));
            b.append(v.get("value") == null ? " unset" : "=" + v.get("value")).append(" (").append(v.get("set_by"))
                    .append(')');
        }
        return b.append(env.get("before") != null ? ", before loading " + env.get("before")
                : ", after " + env.get("late") + " had loaded").toString();
    }

    /** The pools that were running before the agent came (attach). */
    @SuppressWarnings("unchecked")
    static String preexisting(Map<String, Object> pre) {
        StringBuilder sb = new StringBuilder();
        List<Map<String, Object>> fj = (List<Map<String, Object>>) pre.get("fork_join_pools");
        List<Map<String, Object>> tp = (List<Map<String, Object>>) pre.get("thread_pools");
        sb.append("pools running before the agent (not resized; new pools are governed): ")
                .append(fj.size() + tp.size()).append('\n');
        for (Map<String, Object> p : fj) {
            sb.append(String.format("  %-20s parallelism %-4s workers %-4s %s%n", "ForkJoinPool", p.get("parallelism"),
                    p.get("workers"), p.get("name")));
        }
        for (Map<String, Object> p : tp) {
            sb.append(String.format("  %-20s threads %-4s     %s%n", "thread pool", p.get("threads"), p.get("name")));
        }
        return sb.toString();
    }

    private static void warnings(StringBuilder sb, List<String> w) {
        if (w == null || w.isEmpty()) {
            return;
        }
        sb.append("warnings:\n");
        for (String s : w) {
            sb.append("  ").append(s).append('\n');
        }
    }

    private static Object orDash(Object o) {
        return o == null ? "-" : o;
    }

    private static void line(StringBuilder sb, String key, Object value) {
        sb.append(String.format("%-22s %s%n", key, value));
    }
}
