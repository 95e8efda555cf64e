package io.threadgov.it.realapps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * An XGBoost4J 3.4.0 application as its users write it, unaware of threadgov: a fixed pool of {@code pool}
 * threads (4) trains {@code trainings} boosters (4; one max_depth each, hist, 40 rounds, binary logistic on
 * 20000 x 16 synthetic rows) per round, {@code rounds} rounds, each booster then predicting 5000 rows.
 * XGBoost's native library runs its work in OpenMP teams of the system's libgomp; it is loaded inside the pool's
 * first tasks (the first use of XGBoost), unless {@code -Dapp.loadOnMain=true}.
 *
 * <p>With {@code -Dapp.nthread=N} every booster gets {@code nthread=N} (else XGBoost's default, 0: what OpenMP
 * says). Each training measures the OpenMP team its regions ran
 * with: the worker and those of the OS threads libgomp started for it that used CPU during the training
 * ({@link RealApp#teamSince}); {@code omp_teams} is each round's largest team, {@code omp_team_max} the largest of all.
 *
 * <p>args: {@code [rounds] [pool] [trainings]}. Prints {@code xgb_checksum} (the predictions' bits),
 * {@code xgb_logloss}, {@code omp_team_max}, {@code omp_teams} (per round), round times, {@code peak_threads}.
 */
public final class XgboostApp {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int poolSize = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int trainings = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Integer nthread = Integer.getInteger("app.nthread");
        RealApp.startPeakSampler();

        int rows = 20000;
        int cols = 16;
        float[] x = new float[rows * cols];
        float[] y = new float[rows];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                float v = (float) (r.nextDouble() * 2 - 1);
                x[i * cols + j] = v;
                s += (j % 3 == 0 ? v * v : j % 3 == 1 ? Math.sin(3 * v) : -v) / (1 + j % 5);
            }
            y[i] = s + 0.3 * r.nextGaussian() > 0.4 ? 1f : 0f;
        }
        int trainRows = 15000;
        float[] xTrain = java.util.Arrays.copyOf(x, trainRows * cols);
        float[] yTrain = java.util.Arrays.copyOf(y, trainRows);
        float[] xTest = java.util.Arrays.copyOfRange(x, trainRows * cols, rows * cols);
        float[] yTest = java.util.Arrays.copyOfRange(y, trainRows, rows);
        if (Boolean.getBoolean("app.loadOnMain")) {
            new DMatrix(new float[] {0f}, 1, 1, Float.NaN).dispose();
        }

        ExecutorService pool = Executors.newFixedThreadPool(poolSize);
        List<Long> times = new ArrayList<>();
        List<Integer> teams = new ArrayList<>();
        float[] all = null;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            List<Future<Object[]>> fits = new ArrayList<>();
            for (int k = 0; k < trainings; k++) {
                int depth = 3 + k % 4;
                fits.add(pool.submit(() -> {
                    DMatrix train = new DMatrix(xTrain, trainRows, cols, Float.NaN);
                    train.setLabel(yTrain);
                    DMatrix test = new DMatrix(xTest, rows - trainRows, cols, Float.NaN);
                    Map<String, Object> params = new HashMap<>();
                    params.put("objective", "binary:logistic");
                    params.put("tree_method", "hist");
                    params.put("max_depth", depth);
                    params.put("eta", 0.2);
                    params.put("subsample", 0.8);
                    params.put("seed", 1);
                    if (nthread != null) {
                        params.put("nthread", nthread);
                    }
                    Map<String, Long> before = RealApp.teamTicks();
                    Booster b = XGBoost.train(train, params, 40, new HashMap<>(), null, null);
                    float[][] p = b.predict(test);
                    int team = RealApp.teamSince(before);
                    b.dispose();
                    train.dispose();
                    test.dispose();
                    float[] flat = new float[p.length];
                    for (int i = 0; i < p.length; i++) {
                        flat[i] = p[i][0];
                    }
                    return new Object[] {flat, team};
                }));
            }
            int n = rows - trainRows;
            all = new float[trainings * n];
            int team = 0;
            for (int k = 0; k < trainings; k++) {
                Object[] o = fits.get(k).get();
                System.arraycopy((float[]) o[0], 0, all, k * n, n);
                team = Math.max(team, (Integer) o[1]);
            }
            times.add(System.nanoTime() - t0);
            teams.add(team);
        }
        pool.shutdown();
        double logloss = 0;
        double[] bits = new double[all.length];
        for (int i = 0; i < all.length; i++) {
            double p = Math.min(Math.max(all[i], 1e-7), 1 - 1e-7);
            double t = yTest[i % yTest.length];
            logloss -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
            bits[i] = all[i];
        }
        RealApp.printRounds("xgb", times);
        RealApp.print("xgb_checksum", RealApp.checksum(bits));
        RealApp.print("xgb_logloss", String.format(java.util.Locale.ROOT, "%.6f", logloss / all.length));
        RealApp.print("omp_teams", teams.toString().replace(" ", ""));
        RealApp.print("omp_team_max", teams.stream().mapToInt(Integer::intValue).max().orElse(0));
        RealApp.print("peak_threads", RealApp.peakThreads());
        RealApp.print("peak_thread_names", RealApp.peakNames());
    }
}
