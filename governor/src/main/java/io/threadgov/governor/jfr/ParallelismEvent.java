package io.threadgov.governor.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * {@code threadgov.Parallelism}: periodic (1 s by default) sample of how much parallelism the process uses
 * against its budget.
 */
@Name("threadgov.Parallelism")
@Label("Parallelism")
@Category("threadgov")
@Description("Periodic sample of the core budget against live, runnable and busy governed threads")
@Period("1 s")
@StackTrace(false)
final class ParallelismEvent extends jdk.jfr.Event {

    @Label("Budget")
    @Description("The core budget B")
    int budget;

    @Label("Live Threads")
    @Description("Java threads alive in the process")
    int liveThreads;

    @Label("Runnable Threads")
    @Description("Java threads in state RUNNABLE (including those inside native code)")
    int runnableThreads;

    @Label("Busy Governed Workers")
    @Description("Workers of governed pools running a task; counted once a process-wide native runtime needs"
            + " it, see Busy Counted")
    int busyWorkers;

    @Label("Busy Counted")
    @Description("Whether busy governed workers are being counted in this process")
    boolean busyCounted;

    @Label("Busy / Budget")
    @Description("Busy governed workers divided by the budget")
    @Percentage
    double busyRatio;

    @Label("Runnable / Budget")
    @Description("Runnable threads divided by the budget: above 100% the process oversubscribes its cores")
    @Percentage
    double runnableRatio;

    @Label("Governed Pools Live")
    @Description("Governed pools not yet garbage collected")
    int poolsLive;
}
