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
     * Registers once the platform MBean server exists, without creating it: creating it costs 0.3 to 0.7 s
     * of start time on a 2-core machine (measured here), which a JVM nobody inspects should not pay. A
     * daemon thread ({@code threadgov-jmx}) looks once a second, through the cheap
     * {@code MBeanServerFactory.findMBeanServer}, for a server made by the application, by a local tool
     * (JConsole, JMC, {@code jcmd PID ManagementAgent.start_local}) or by
     * {@code -Dcom.sun.management.jmxremote}, registers there and ends.
     */
    public static void installLazily(Governor governor) {
        try {
            Thread t = new Thread(() -> {
                try {
                    while (MBeanServerFactory.findMBeanServer(null).isEmpty()) {
                        Thread.sleep(POLL_MILLIS);
                    }
                    install(governor);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    Log.failure("jmx register", e);
                }
            }, "threadgov-jmx");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
        } catch (Throwable t) {
            Log.failure("jmx register", t);
        }
    }

    /** How often {@link #installLazily} looks for the platform MBean server. */
    static final long POLL_MILLIS = 1000;
}
