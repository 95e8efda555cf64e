package io.threadgov.governor.jmx;

import javax.management.ConstructorParameters;
import java.util.Map;

/** One native runtime in {@link GovernorMXBean#getNativeRuntimes()}, with threadpoolctl's fields. */
public final class NativeRuntimeInfo {
    private final String userApi;
    private final String internalApi;
    private final String prefix;
    private final String filepath;
    private final String version;
    private final String threadingLayer;
    private final String architecture;
    private final int numThreads;
    private final String scope;

    @ConstructorParameters({"userApi", "internalApi", "prefix", "filepath", "version", "threadingLayer",
            "architecture", "numThreads", "scope"})
    public NativeRuntimeInfo(String userApi, String internalApi, String prefix, String filepath, String version,
                             String threadingLayer, String architecture, int numThreads, String scope) {
        this.userApi = userApi;
        this.internalApi = internalApi;
        this.prefix = prefix;
        this.filepath = filepath;
        this.version = version;
        this.threadingLayer = threadingLayer;
        this.architecture = architecture;
        this.numThreads = numThreads;
        this.scope = scope;
    }

    static NativeRuntimeInfo of(Map<String, Object> r) {
        Object n = r.get("num_threads");
        return new NativeRuntimeInfo(s(r, "user_api"), s(r, "internal_api"), s(r, "prefix"), s(r, "filepath"),
                s(r, "version"), s(r, "threading_layer"), s(r, "architecture"),
                n instanceof Number ? ((Number) n).intValue() : -1, s(r, "scope"));
    }

    private static String s(Map<String, Object> r, String k) {
        Object v = r.get(k);
        return v == null ? "" : String.valueOf(v);
    }

    public String getUserApi() { return userApi; }
    public String getInternalApi() { return internalApi; }
    public String getPrefix() { return prefix; }
    public String getFilepath() { return filepath; }
    public String getVersion() { return version; }
    public String getThreadingLayer() { return threadingLayer; }
    public String getArchitecture() { return architecture; }
    public int getNumThreads() { return numThreads; }
    public String getScope() { return scope; }
}
