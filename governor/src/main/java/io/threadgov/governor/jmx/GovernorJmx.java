package io.threadgov.governor.jmx;

import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * Registers a governor's MXBean on the platform MBean server under {@value #OBJECT_NAME}. No connector is
 * opened: local tools (JConsole, JMC, {@code jcmd PID ManagementAgent.start_local}) reach it as they reach
 * the JDK's own MXBeans.
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
     * Registers on a daemon thread, so that starting the platform MBean server (some tens of milliseconds)
     * does not delay the application's start.
     */
    public static void installAsync(Governor governor) {
        try {
            Thread t = new Thread(() -> install(governor), "threadgov-jmx");
            t.setDaemon(true);
            t.start();
        } catch (Throwable t) {
            Log.failure("jmx register", t);
        }
    }
}
