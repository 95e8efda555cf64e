package io.threadgov.kernels.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration of a child JVM: a label, extra environment variables and extra JVM arguments.
 * {@link #none}: the naive app as it is; {@link #agent}: the same with {@code -javaagent:}; {@link #fixed}:
 * a hand-tuned static setting (outer pool size, inner native/ForkJoin threads), without the agent.
 */
record Setting(String kind, String label, Map<String, String> env, List<String> jvmArgs) {

    static Setting none() {
        return new Setting("none", "none", Map.of(), List.of());
    }

    static Setting agent(String agentJar, String agentArgs, Integer cores, String reportFile) {
        List<String> args = new ArrayList<>();
        args.add("-javaagent:" + agentJar + (agentArgs != null ? "=" + agentArgs : ""));
        if (cores != null) {
            args.add("-Dthreadgov.cores=" + cores);
        }
        if (reportFile != null) {
            args.add("-Dthreadgov.report=" + reportFile);
        }
        return new Setting("agent", "agent", Map.of(), args);
    }

    /**
     * A static setting: {@code -Dkernel.outer=outer}, and unless {@code inner} is null (every layer left at
     * its all-cores default) {@code OPENBLAS_NUM_THREADS}, {@code OMP_NUM_THREADS},
     * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} and {@code -Dkernel.inner} = inner.
     */
    static Setting fixed(int outer, Integer inner) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        args.add("-Dkernel.outer=" + outer);
        if (inner != null) {
            env.put("OPENBLAS_NUM_THREADS", inner.toString());
            env.put("OMP_NUM_THREADS", inner.toString());
            args.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + inner);
            args.add("-Dkernel.inner=" + inner);
        }
        return new Setting("static", "outer=" + outer + " inner=" + (inner == null ? "default" : inner), env, args);
    }

    /** A name usable in file names. */
    String slug() {
        return label.replace(' ', '_').replace("=", "");
    }
}
