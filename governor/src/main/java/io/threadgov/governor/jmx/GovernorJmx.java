package io.threadgov.governor.jmx;

import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * Registers a governor's MXBean on the platform MBean server under {@value #OBJECT_NAME}. No connector is
 * opened: local tools (JConsole, JMC, {@code jcmd PID ManagementAgent.start_local}) reach it as they reach
 * the JDK's own MXBeans. The agent uses {@link #installLazily}, so the platform MBean server is never
 * created on its account.
 */
public final class GovernorJmx {

    public static final String OBJECT_NAME = "io.threadgov:type=Governor";

    private GovernorJmx() {
    }

    /** Registers now, on the calling thread; returns false (counted) when it cannot. */
    public static boolean install(Governor governor) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (server.isRegistered(name)) {
                return false;
            }
            server.registerMBean(new GovernorControl(governor), name);
            return true;
        } catch (Throwable t) {
            Log.failure("jmx register", t);
            return false;
        }
    }

    /**
     * Registers once the platform MBean server exists, without creating it: creating it costs a large part
     * of a second of start time on a 2-core machine (BENCHMARKS.md, History, 2026-11-22, "Start-up"), which
     * a JVM nobody inspects should not pay. The
     * agent calls this once at start (a server the application made before is used at once) and again from
     * the end of {@code ManagementFactory.getPlatformMBeanServer()}, which it instruments: the server made
     * later by the application, a local tool (JConsole, JMC, {@code jcmd PID ManagementAgent.start_local})
     * or {@code -Dcom.sun.management.jmxremote} gets the MXBean as soon as it exists, with no thread of
     * the agent's waiting for it.
     */
    public static void installLazily(Governor governor) {
        try {
            if (!MBeanServerFactory.findMBeanServer(null).isEmpty()) {
                installOnce(governor);
            }
        } catch (Throwable t) {
            Log.failure("jmx register", t);
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean INSTALLED = new java.util.concurrent.atomic.AtomicBoolean();

    /** Registers the first time it is called (the platform server exists); later calls do nothing. */
    public static void installOnce(Governor governor) {
        if (INSTALLED.compareAndSet(false, true)) {
            install(governor);
        }
    }
}
