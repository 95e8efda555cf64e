package io.threadgov.it.host;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One JVM of several on a host, unaware of the agent but for reading its budget as a monitoring tool would (the
 * MXBean): one thread calling JavaCPP OpenBLAS dgemm (n=256) for {@code busyMs}, then idle for {@code idleMs}.
 * Prints {@code ready} once BLAS is loaded, waits for a line on stdin (so that several start together), then a line
 * {@code budget B at_ms T} (T: ms since the epoch) at the start and whenever its budget changes, sampled every 5 ms.
 *
 * <p>args: {@code busyMs idleMs}
 */
public final class HostApp {

    public static void main(String[] args) throws Exception {
        long busyMs = Long.parseLong(args[0]);
        long idleMs = Long.parseLong(args[1]);
        org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
        int n = 256;
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        double[] c = new double[n * n];
        java.util.Arrays.setAll(a, i -> (i % 17) * 0.25);
        java.util.Arrays.setAll(b, i -> (i % 13) * 0.5);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.threadgov:type=Governor");
        System.out.println("ready");
        System.out.flush();
        if (System.in.read() < 0) {
            return;
        }
        Thread sampler = new Thread(() -> {
            int last = -1;
            while (true) {
                try {
                    int budget = (Integer) server.getAttribute(name, "Budget");
                    if (budget != last) {
                        System.out.println("budget " + budget + " at_ms " + System.currentTimeMillis());
                        System.out.flush();
                        last = budget;
                    }
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.out.println("no budget: " + e);
                    return;
                }
            }
        }, "budget-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long end = System.currentTimeMillis() + busyMs;
        double sum = 0;
        int calls = 0;
        while (System.currentTimeMillis() < end) {
            org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm(101, 111, 111, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
            sum += c[calls % c.length];
            calls++;
        }
        System.out.println("busy_done calls=" + calls + " at_ms " + System.currentTimeMillis() + " sum=" + sum);
        System.out.flush();
        Thread.sleep(idleMs);
        System.out.println("done");
    }
}
