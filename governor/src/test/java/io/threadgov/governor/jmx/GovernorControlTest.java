package io.threadgov.governor.jmx;

import io.threadgov.governor.Config;
import io.threadgov.governor.Governor;
import io.threadgov.governor.PoolDecision;
import io.threadgov.governor.SharePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.Attribute;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MXBean on the real platform MBean server, changing real pools. */
class GovernorControlTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private Governor g;
    private ForkJoinPool outer;
    private ThreadPoolExecutor nestedFixed;
    private ThreadPoolExecutor nestedCached;

    private void start(String args) throws Exception {
        g = new Governor(Config.parse(args, new Properties(), 2));
        assertTrue(GovernorJmx.install(g));
        PoolDecision od = g.decideForkJoin(4);
        outer = new ForkJoinPool(SharePolicy.sizeToBuild(od));
        g.register(outer, od);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                g.workerStart(outer);
                PoolDecision d = g.decideThreadPool(8, 8, Integer.MAX_VALUE);
                nestedFixed = new ThreadPoolExecutor(SharePolicy.sizeToBuild(d), SharePolicy.sizeToBuild(d), 0,
                        TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                g.register(nestedFixed, d);
                PoolDecision c = g.decideThreadPool(0, Integer.MAX_VALUE, 0);
                nestedCached = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                        new SynchronousQueue<>());
                g.register(nestedCached, c);
                g.workerEnd();
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        worker.start();
        worker.join();
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
    }

    @AfterEach
    void stop() throws Exception {
        ObjectName name = new ObjectName(GovernorJmx.OBJECT_NAME);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        for (java.util.concurrent.ExecutorService e : new java.util.concurrent.ExecutorService[] {outer, nestedFixed,
                nestedCached}) {
            if (e != null) {
                e.shutdownNow();
            }
        }
    }

    private GovernorMXBean proxy() throws Exception {
        return JMX.newMXBeanProxy(server, new ObjectName(GovernorJmx.OBJECT_NAME), GovernorMXBean.class);
    }

    @Test
    void readsBudgetModeAndPools() throws Exception {
        start("cores=4");
        ObjectName name = new ObjectName(GovernorJmx.OBJECT_NAME);
        assertEquals(4, server.getAttribute(name, "Budget"));
        assertEquals("enforce", server.getAttribute(name, "Mode"));
        assertEquals("nested", server.getAttribute(name, "PoolsMode"));
        assertEquals("auto", server.getAttribute(name, "NativeMode"));
        assertEquals(3L, server.getAttribute(name, "PoolsTotal"));
        CompositeData[] pools = (CompositeData[]) server.getAttribute(name, "Pools");
        assertEquals(3, pools.length);
        CompositeData fixed = pools[1];
        assertEquals("ThreadPoolExecutor", fixed.get("kind"));
        assertEquals(8, fixed.get("requested"));
        assertEquals(1, fixed.get("granted"));
        assertEquals(1, fixed.get("size"));
        assertEquals(true, fixed.get("nested"));
        assertEquals("unknown", fixed.get("character"), "no task sampled yet");
        assertEquals(-1.0, fixed.get("demand"));
        assertEquals("share", fixed.get("decidedBy"));
        assertEquals(0, fixed.get("redecisions"));
        assertTrue(((String) server.getAttribute(name, "ReportJson")).startsWith("{\"budget\": 4"));
        assertEquals(0, ((CompositeData[]) server.getAttribute(name, "NativeRuntimes")).length);
    }

    @Test
    void budgetChangeRegrantsAndResizesManagedPools() throws Exception {
        start("cores=4");
        GovernorMXBean bean = proxy();
        assertEquals(1, nestedFixed.getCorePoolSize());
        bean.setBudget(8); // outer worker share 8/4 = 2 -> nested fixed pool granted min(8, 2)
        assertEquals(8, g.budget());
        assertEquals("JMX", g.config().budgetSource());
        assertEquals(2, nestedFixed.getCorePoolSize());
        assertEquals(2, nestedFixed.getMaximumPoolSize());
        assertEquals(4, outer.getParallelism(), "top-level pools keep their size under pools=nested");
        assertEquals(Integer.MAX_VALUE, nestedCached.getMaximumPoolSize(), "cached pools are never resized");
        PoolInfo fixed = bean.getPools().get(1);
        assertEquals(2, fixed.getGranted());
        assertEquals(2, fixed.getSize());
        assertEquals(8, g.decisionOf(nestedFixed).creatorShare() * 4);
        assertTrue(bean.getLastChange().startsWith("budget 4 -> 8: 1 pools resized"), bean.getLastChange());

        server.setAttribute(new ObjectName(GovernorJmx.OBJECT_NAME), new Attribute("Budget", 2));
        assertEquals(1, nestedFixed.getCorePoolSize());
        assertEquals(1, nestedFixed.getMaximumPoolSize());
    }

    @Test
    void modeChangeGrowsPoolsBackAndCutsThemAgain() throws Exception {
        start("cores=4");
        GovernorMXBean bean = proxy();
        bean.setMode("observe");
        assertEquals("observe", bean.getMode());
        assertEquals(8, nestedFixed.getCorePoolSize());
        assertEquals(8, nestedFixed.getMaximumPoolSize());
        assertEquals(false, g.decisionOf(nestedFixed).applied());
        bean.setMode("ENFORCE");
        assertEquals(1, nestedFixed.getCorePoolSize());
        assertEquals(true, g.decisionOf(nestedFixed).applied());
    }

    @Test
    void topLevelPoolsFollowTheBudgetUnderPoolsAll() throws Exception {
        start("cores=4,pools=all");
        proxy().setBudget(2);
        if (Runtime.version().feature() >= 19) {
            assertEquals(2, outer.getParallelism());
        } else {
            assertEquals(4, outer.getParallelism());
            assertTrue(proxy().getLastChange().contains("cannot be resized on JDK"), proxy().getLastChange());
        }
        assertEquals(2, g.decisionOf(outer).granted());
    }

    @Test
    void badValuesAreRefusedWithTheAllowedRange() throws Exception {
        start("cores=4");
        GovernorMXBean bean = proxy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bean.setBudget(0));
        assertTrue(e.getMessage().contains("allowed 1 to 32767"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bean.setBudget(40000));
        e = assertThrows(IllegalArgumentException.class, () -> bean.setMode("fast"));
        assertTrue(e.getMessage().contains("allowed enforce, observe"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bean.setMode("off"));
        assertTrue(e.getMessage().contains("only be chosen at start"), e.getMessage());
        RuntimeMBeanException r = assertThrows(RuntimeMBeanException.class,
                () -> server.setAttribute(new ObjectName(GovernorJmx.OBJECT_NAME), new Attribute("Budget", -1)));
        assertTrue(r.getCause() instanceof IllegalArgumentException);
        assertEquals(4, g.budget());
        assertEquals(List.of(), List.of()); // nothing else changed
        assertEquals(1, nestedFixed.getCorePoolSize());
    }
}
