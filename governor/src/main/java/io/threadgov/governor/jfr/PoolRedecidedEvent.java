package io.threadgov.governor.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code threadgov.PoolRedecided}: a live pool's parallelism changed by what its workers do or who feeds it. */
@Name("threadgov.PoolRedecided")
@Label("Pool Redecided")
@Category("threadgov")
@Description("A live pool was resized by its measured demand (its workers wait or compute) or by its users")
@StackTrace(false)
final class PoolRedecidedEvent extends jdk.jfr.Event {

    @Label("Pool Id")
    long poolId;

    @Label("Kind")
    String kind;

    @Label("Creator")
    String creator;

    @Label("From Parallelism")
    int fromParallelism;

    @Label("To Parallelism")
    int toParallelism;

    @Label("Reason")
    @Description("demand: what its workers do; users: fed by a thread of a larger share than its creator's")
    String reason;

    @Label("Demand")
    @Description("The fraction of its tasks' time its workers wanted a core, -1 when unknown")
    double demand;

    @Label("Samples")
    @Description("Sampled task intervals behind the demand")
    long samples;
}
