package io.threadgov.agent.cli;

import io.threadgov.governor.Config;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent would see in a JVM like the one running the CLI: the budget and where it comes from, the
 * CPU limits the kernel sets, the JVM's own GC and JIT threads against the budget, and the native runtimes
 * a JVM here could load. Where the sources of the processor count disagree, or the JVM's own threads
 * exceed the budget, a warning says so.
 */
final class LocalInfo {

    private LocalInfo() {
    }

    static Map<String, Object> collect() {
        int available = Runtime.getRuntime().availableProcessors();
        Config c = Config.parse(null, System.getProperties(), available);
        CpuLimits limits = CpuLimits.read();
        List<String> warnings = new ArrayList<>(c.problems());

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("budget", c.budget());
        m.put("budget_source", c.budgetSource());
        m.put("mode", c.mode().key());
        m.put("pools_mode", c.pools().key());
        m.put("native_mode", c.nativeAuto() ? "auto" : "off");
        m.put("jdk", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("available_processors", available);
        m.put("cpu", limits.toMap());

        Map<String, Object> jvm = new LinkedHashMap<>();
        List<String> gcs = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.add(gc.getName());
        }
        jvm.put("gc", gcs);
        for (String flag : new String[] {"ParallelGCThreads", "ConcGCThreads", "CICompilerCount"}) {
            Integer v = vmIntOption(flag);
            jvm.put(flag, v);
            // JIT threads idle once the code is warm (and tiered compilation needs 2): only GC threads warn
            if (v != null && v > c.budget() && !flag.equals("CICompilerCount")) {
                warnings.add(flag + "=" + v + " exceeds the budget " + c.budget()
                        + ": the JVM's own threads compete with the application's (-XX:" + flag + "=" + c.budget() + ")");
            }
        }
        m.put("jvm_threads", jvm);

        int quota = limits.quotaCpus();
        if (quota > 0 && quota < limits.onlineCpus && available > quota) {
            warnings.add("cgroup quota allows " + limits.quotaCores + " cores but availableProcessors() is " + available);
        }
        if (limits.affinityCpus > 0 && available > limits.affinityCpus) {
            warnings.add("affinity allows " + limits.affinityCpus + " CPUs but availableProcessors() is " + available);
        }
        if (quota > 0 && limits.affinityCpus > 0 && quota != limits.affinityCpus) {
            warnings.add("cgroup quota (" + limits.quotaCores + " cores) and affinity (" + limits.affinityCpus
                    + " CPUs) disagree; the JDK takes the smaller: " + Math.min(quota, limits.affinityCpus));
        }
        if (c.budget() > available) {
            warnings.add("budget " + c.budget() + " exceeds availableProcessors() " + available);
        }
        m.put("native", NativeCandidates.find());
        m.put("warnings", warnings);
        return m;
    }

    private static Integer vmIntOption(String name) {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hs =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hs == null ? null : Integer.valueOf(hs.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
