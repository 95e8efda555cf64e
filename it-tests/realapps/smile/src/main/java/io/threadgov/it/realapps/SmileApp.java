package io.threadgov.it.realapps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import smile.base.cart.SplitRule;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.IntVector;
import smile.math.kernel.GaussianKernel;
import smile.regression.GaussianProcessRegression;

/**
 * A Smile 3.1.1 application as its users write it, unaware of threadgov.
 *
 * <ul>
 * <li>{@code gp}: a fixed pool of {@code pool} threads (8) fits one Gaussian process regression per kernel width
 *     on the same {@code n} points (800, 4 features), each then predicting 200 points: Smile builds the kernel
 *     matrix with a parallel stream and factors it with LAPACK's Cholesky through JavaCPP's OpenBLAS 0.3.26
 *     (which Smile loads itself). {@code rounds} rounds of 8 fits.</li>
 * <li>{@code forest}: a fixed pool of 4 threads trains 4 random forests (60 trees each, one mtry each, fixed
 *     seeds per tree); Smile trains each forest's trees with a parallel stream, here inside a pool worker.</li>
 * <li>{@code all}: both, gp first.</li>
 * </ul>
 *
 * <p>args: {@code gp|forest|all [rounds] [n] [pool]}. Prints {@code gp_checksum}, {@code gp_sums} (each model's
 * prediction sum, all digits), {@code forest_checksum}, {@code forest_accuracy}, round times and
 * {@code peak_threads}.
 */
public final class SmileApp {

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 800;
        int poolSize = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        RealApp.startPeakSampler();
        if (what.equals("gp") || what.equals("all")) {
            gaussianProcesses(rounds, n, poolSize);
        }
        if (what.equals("forest") || what.equals("all")) {
            forests(rounds);
        }
        RealApp.print("blas", smile.math.blas.BLAS.engine.getClass().getName());
        RealApp.print("peak_threads", RealApp.peakThreads());
        RealApp.print("peak_thread_names", RealApp.peakNames());
    }

    static void gaussianProcesses(int rounds, int n, int poolSize) throws Exception {
        double[][] x = RealApp.uniform(42, n, 4);
        double[] y = new double[n];
        java.util.Random noise = new java.util.Random(7);
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(x[i][0]) + Math.cos(x[i][1]) * x[i][2] - 0.3 * x[i][3] + 0.1 * noise.nextGaussian();
        }
        double[][] test = RealApp.uniform(43, 200, 4);
        ExecutorService pool = Executors.newFixedThreadPool(poolSize);
        List<Long> times = new ArrayList<>();
        double[] sums = null;
        double[] all = null;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            List<Future<double[]>> fits = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                double width = 0.5 + 0.25 * k;
                fits.add(pool.submit(() -> {
                    GaussianProcessRegression<double[]> gp =
                            GaussianProcessRegression.fit(x, y, new GaussianKernel(width), 0.01);
                    double[] p = new double[test.length];
                    for (int i = 0; i < test.length; i++) {
                        p[i] = gp.predict(test[i]);
                    }
                    return p;
                }));
            }
            sums = new double[fits.size()];
            all = new double[fits.size() * test.length];
            for (int k = 0; k < fits.size(); k++) {
                double[] p = fits.get(k).get();
                System.arraycopy(p, 0, all, k * test.length, p.length);
                for (double v : p) {
                    sums[k] += v;
                }
            }
            times.add(System.nanoTime() - t0);
        }
        pool.shutdown();
        RealApp.printRounds("gp", times);
        RealApp.print("gp_checksum", RealApp.checksum(all));
        RealApp.print("gp_sums", RealApp.exact(sums));
    }

    static void forests(int rounds) throws Exception {
        int n = 3000;
        double[][] x = RealApp.uniform(11, n, 8);
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            double s = x[i][0] * x[i][1] + Math.sin(2 * x[i][2]) + 0.5 * x[i][3];
            label[i] = s < -0.5 ? 0 : s < 0.7 ? 1 : 2;
        }
        String[] names = {"a", "b", "c", "d", "e", "f", "g", "h"};
        DataFrame train = DataFrame.of(java.util.Arrays.copyOf(x, 2000), names)
                .merge(IntVector.of("y", java.util.Arrays.copyOf(label, 2000)));
        DataFrame test = DataFrame.of(java.util.Arrays.copyOfRange(x, 2000, n), names);
        Formula formula = Formula.lhs("y");
        ExecutorService pool = Executors.newFixedThreadPool(Integer.getInteger("app.forestPool", 4));
        List<Long> times = new ArrayList<>();
        int[] predictions = null;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            List<Future<int[]>> fits = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                int mtry = 2 + k;
                fits.add(pool.submit(() -> {
                    RandomForest rf = RandomForest.fit(formula, train, 60, mtry, SplitRule.GINI, 20, 500, 2, 1.0,
                            null, LongStream.rangeClosed(1, 60));
                    int[] p = new int[test.size()];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = rf.predict(test.get(i));
                    }
                    return p;
                }));
            }
            predictions = new int[4 * test.size()];
            for (int k = 0; k < 4; k++) {
                System.arraycopy(fits.get(k).get(), 0, predictions, k * test.size(), test.size());
            }
            times.add(System.nanoTime() - t0);
        }
        pool.shutdown();
        int correct = 0;
        for (int i = 0; i < predictions.length; i++) {
            correct += predictions[i] == label[2000 + i % (n - 2000)] ? 1 : 0;
        }
        int[] classes = new int[3];
        for (int i = 2000; i < n; i++) {
            classes[label[i]]++;
        }
        RealApp.print("forest_largest_class", String.format(java.util.Locale.ROOT, "%.4f",
                java.util.Arrays.stream(classes).max().getAsInt() / (double) (n - 2000)));
        RealApp.printRounds("forest", times);
        RealApp.print("forest_checksum", RealApp.checksum(predictions));
        RealApp.print("forest_accuracy", String.format(java.util.Locale.ROOT, "%.4f", correct / (double) predictions.length));
    }
}
