package io.threadgov.governor.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code threadgov.NativeLimit}: the governor changed a native runtime's thread count. */
@Name("threadgov.NativeLimit")
@Label("Native Limit")
@Category("threadgov")
@Description("The governor changed the thread count of a native runtime")
@StackTrace(false)
final class NativeLimitEvent extends jdk.jfr.Event {

    @Label("Runtime")
    @Description("The runtime changed: openblas, blis, mkl, openmp, ...")
    String runtime;

    @Label("Scope")
    @Description("thread: only the calling thread's count changed; process: the process-wide count")
    String scope;

    @Label("Old Threads")
    int oldThreads;

    @Label("New Threads")
    int newThreads;

    @Label("Thread")
    @Description("The name of the thread whose count changed (scope thread) or that changed it (scope process)")
    String thread;
}
