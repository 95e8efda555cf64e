package io.threadgov.governor.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code threadgov.PoolGoverned}: a pool was created and the governor decided its size. */
@Name("threadgov.PoolGoverned")
@Label("Pool Governed")
@Category("threadgov")
@Description("A thread pool was created and the governor decided its parallelism")
@StackTrace(false)
final class PoolGovernedEvent extends jdk.jfr.Event {

    @Label("Pool Id")
    @Description("The governor's number for this pool, in creation order")
    long poolId;

    @Label("Kind")
    @Description("The pool's class: ForkJoinPool, ThreadPoolExecutor, or the full name of a subclass")
    String kind;

    @Label("Creator")
    @Description("The application method that created the pool")
    String creator;

    @Label("Nested")
    @Description("Created on a worker of a governed pool")
    boolean nested;

    @Label("Depth")
    @Description("0 for a top-level pool, the parent's depth + 1 for a nested one")
    int depth;

    @Label("Parent Pool Id")
    @Description("The pool whose worker created this one, 0 when top-level")
    long parentId;

    @Label("Requested")
    @Description("The parallelism the application asked for")
    int requested;

    @Label("Granted")
    @Description("The parallelism the governor decided")
    int granted;

    @Label("Creator Share")
    @Description("The share of the budget of the thread that created the pool")
    int creatorShare;

    @Label("Worker Share")
    @Description("The share of the budget of each of the pool's workers: max(1, creator share / granted)")
    int share;

    @Label("Resizable")
    @Description("Whether a size change keeps the pool's semantics")
    boolean resizable;

    @Label("Semantics")
    @Description("forkjoin, common, fixed, cached, elastic, handoff or bounded-queue")
    String semantics;

    @Label("Applied")
    @Description("Whether the pool was built with the granted size (enforce mode and granted != requested)")
    boolean applied;
}
