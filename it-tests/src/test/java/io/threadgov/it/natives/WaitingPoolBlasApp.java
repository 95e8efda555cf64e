package io.threadgov.it.natives;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

/**
 * A service whose pool of 4 waits for downstream calls (Future.get) while main calls BLAS: main reads
 * OpenBLAS's process-wide thread count while the pool's 4 workers wait inside their tasks. Prints
 * {@code main_threads_while_pool_waits}, and the product's checksum.
 */
public final class WaitingPoolBlasApp {

    public static void main(String[] args) throws Exception {
        IntSupplier threads = JavaCppOpenBlas.threads(JavaCppOpenBlas.load());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        // what the pool does: 40 short waits, so its workers' first tasks show it
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            fs.add(pool.submit(() -> {
                Thread.sleep(20);
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        CountDownLatch inside = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        fs.clear();
        for (int i = 0; i < 4; i++) {
            // a slow downstream call, answered by a thread of no governed pool once main is done
            java.util.concurrent.FutureTask<Integer> downstream = new java.util.concurrent.FutureTask<>(() -> {
                release.await();
                return 1;
            });
            new Thread(downstream, "downstream-" + i).start();
            fs.add(pool.submit(() -> {
                inside.countDown();
                return downstream.get(); // every worker waits inside a task for its downstream call
            }));
        }
        inside.await();
        Thread.sleep(200); // the workers are inside get() by now
        int n = 256;
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        double[] c = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 17) * 0.25;
            b[i] = (i % 13) * 0.5;
        }
        org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm(
                org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor,
                org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans,
                org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
        int seen = threads.getAsInt();
        release.countDown();
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        long sum = 0;
        for (double v : c) {
            sum = sum * 31 + Double.doubleToLongBits(v);
        }
        System.out.println("main_threads_while_pool_waits=" + seen);
        System.out.println("checksum=" + Long.toHexString(sum));
    }
}
