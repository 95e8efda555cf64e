package io.threadgov.governor.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code threadgov.NativeRuntime}: a native BLAS/OpenMP runtime was found in the process. */
@Name("threadgov.NativeRuntime")
@Label("Native Runtime")
@Category("threadgov")
@Description("A native BLAS or OpenMP runtime was found in the process and is governed")
@StackTrace(false)
final class NativeRuntimeEvent extends jdk.jfr.Event {

    @Label("API")
    @Description("The user API: blas or openmp")
    String api;

    @Label("Internal API")
    @Description("The implementation: openblas, blis, mkl, flexiblas, openmp")
    String internalApi;

    @Label("File Path")
    @Description("The absolute path of the loaded library")
    String filepath;

    @Label("Version")
    String version;

    @Label("Threading Layer")
    @Description("pthreads, openmp, tbb, sequential or the OpenMP runtime")
    String layer;

    @Label("Threads")
    @Description("The runtime's thread count when it was found")
    int threads;

    @Label("Scope")
    @Description("thread: a per-thread setter is used; process: a process-wide one")
    String scope;
}
