package io.threadgov.governor.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@code threadgov.HostBudget}: under host scope, this JVM's share of the host's cores changed. */
@Name("threadgov.HostBudget")
@Label("Host Budget")
@Category("threadgov")
@Description("Host scope: the JVMs of this user on this host share the cores; this JVM's grant changed")
@StackTrace(false)
final class HostBudgetEvent extends jdk.jfr.Event {

    @Label("Host Cores")
    int cores;

    @Label("From Budget")
    int fromBudget;

    @Label("To Budget")
    int toBudget;

    @Label("Demand")
    @Description("Threads of this JVM computing now (busy workers and native callers), capped at the cores")
    int demand;

    @Label("Others' Demand")
    int othersDemand;

    @Label("JVMs")
    int jvms;
}
