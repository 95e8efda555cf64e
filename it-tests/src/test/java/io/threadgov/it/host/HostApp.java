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
        Product product = new Product();
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
            sum += product.run(calls);
            calls++;
        }
        System.out.println("busy_done calls=" + calls + " at_ms " + System.currentTimeMillis() + " sum=" + sum);
        System.out.flush();
        Thread.sleep(idleMs);
        System.out.println("done");
    }

    /** One JavaCPP OpenBLAS dgemm of order 256 on fixed operands, as these applications call it. */
    static final class Product {
        private static final int N = 256;
        private final double[] a = new double[N * N];
        private final double[] b = new double[N * N];
        private final double[] c = new double[N * N];

        Product() {
            java.util.Arrays.setAll(a, i -> (i % 17) * 0.25);
            java.util.Arrays.setAll(b, i -> (i % 13) * 0.5);
        }

        /** Multiplies; returns an element of the product picked by {@code i}. */
        double run(int i) {
            org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm(101, 111, 111, N, N, N, 1.0, a, N, b, N, 0.0, c, N);
            return c[Math.floorMod(i, c.length)];
        }
    }
}
