package io.threadgov.it.observe;

import com.sun.tools.attach.VirtualMachine;
import io.threadgov.it.ChildJvm;
import io.threadgov.it.apps.NestedPoolsApp;
import org.junit.jupiter.api.Test;

import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MXBean of a child JVM with the agent, read and changed from this JVM. The test opens the local
 * management agent of the child through the attach API (the agent itself opens no connector).
 */
class MxBeanRemoteTest {

    @Test
    void budgetAndModeChangesResizeALiveNestedPoolInAnotherJvm() throws Exception {
        try (ChildJvm.Running c = ChildJvm.app(NestedPoolsApp.class).agent().sysprop("threadgov.cores", "2")
                .args("deep", "wait").start()) {
            // 4 outer workers over budget 2: share 1, so the nested fixed pool of 8 is built with 1
            assertEquals("nested-size 1 1", c.awaitLine("nested-size"));
            VirtualMachine vm = VirtualMachine.attach(Long.toString(c.pid()));
            String url;
            try {
                url = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
                MBeanServerConnection s = jmx.getMBeanServerConnection();
                ObjectName name = new ObjectName("io.threadgov:type=Governor");
                // the agent registers once the platform MBean server exists (here: made by the management
                // agent just started), looking once a second
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                while (!s.isRegistered(name) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(s.isRegistered(name), "MXBean not registered");
                assertEquals(2, s.getAttribute(name, "Budget"));
                assertEquals("-Dthreadgov.cores", s.getAttribute(name, "BudgetSource"));
                assertEquals("enforce", s.getAttribute(name, "Mode"));
                // 14 of the application; the management agent's RMI machinery adds its own pools
                assertTrue((Long) s.getAttribute(name, "PoolsTotal") >= 14L);
                CompositeData nested = nestedFixedPool(s, name);
                assertEquals(1, nested.get("granted"));
                assertEquals(1, nested.get("size"));
                assertTrue(((String) s.getAttribute(name, "ReportJson")).startsWith("{\"budget\": 2"));

                s.setAttribute(name, new Attribute("Budget", 8)); // outer share 8/4 = 2
                assertEquals(2, nestedFixedPool(s, name).get("size"));
                c.send("size?");
                assertEquals("nested-size 2 2", c.awaitLine("nested-size"));

                s.setAttribute(name, new Attribute("Mode", "observe"));
                c.send("size?");
                assertEquals("nested-size 8 8", c.awaitLine("nested-size"));
                s.setAttribute(name, new Attribute("Mode", "enforce"));
                s.setAttribute(name, new Attribute("Budget", 2));
                c.send("size?");
                assertEquals("nested-size 1 1", c.awaitLine("nested-size"));

                RuntimeMBeanException bad = assertThrows(RuntimeMBeanException.class,
                        () -> s.setAttribute(name, new Attribute("Budget", 0)));
                assertTrue(bad.getCause().getMessage().contains("allowed 1 to 32767"), bad.getCause().getMessage());
                assertEquals(2, s.getAttribute(name, "Budget"));
            }
            ChildJvm.Result end = c.await();
            assertEquals(0, end.exit, end::toString);
        }
    }

    private static CompositeData nestedFixedPool(MBeanServerConnection s, ObjectName name) throws Exception {
        CompositeData[] pools = (CompositeData[]) s.getAttribute(name, "Pools");
        return Arrays.stream(pools).filter(p -> (Integer) p.get("requested") == 8).findFirst()
                .orElseThrow(() -> new AssertionError(Arrays.toString(pools)));
    }
}
