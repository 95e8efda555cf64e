package io.threadgov.governor.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** {@code threadgov.StarvationRelief}: a cut pool was grown back because all its workers were blocked. */
@Name("threadgov.StarvationRelief")
@Label("Starvation Relief")
@Category("threadgov")
@Description("A pool the governor cut was grown back because all its workers were blocked while tasks waited")
@StackTrace(false)
final class StarvationReliefEvent extends jdk.jfr.Event {

    @Label("Pool Id")
    long poolId;

    @Label("Pool")
    @Description("The pool's kind and creator")
    String pool;

    @Label("From")
    @Description("The parallelism before")
    int from;

    @Label("To")
    @Description("The parallelism after")
    int to;

    @Label("Requested")
    @Description("What the application asked for: the most relief can give")
    int requested;

    @Label("Blocked")
    @Description("How long all workers were blocked with tasks queued")
    @Timespan(Timespan.MILLISECONDS)
    long blocked;

    @Label("Queued")
    @Description("Tasks waiting in the pool's queue")
    int queued;
}
