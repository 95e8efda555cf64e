package io.threadgov.it.realapps;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A DJL 0.36 application with the PyTorch engine (libtorch 2.7.1, CPU), offline, as its users write it, unaware
 * of threadgov: a fixed pool of {@code pool} threads (8) runs {@code requests} inference-like requests (8) per
 * round, each a chain of {@code layers} (16) dense layers {@code tanh(x W / sqrt(n))} on a 128 x {@code n} batch
 * (n = 384): the model's weights are made once on main from Java arrays and shared by the requests, each
 * request makes its input (no random engine: the same numbers on every run). libtorch
 * runs its operators' intra-op parallelism in OpenMP teams of the libgomp it ships
 * ({@code libgomp-98b21ff3.so.1}); each request measures its team as XgboostApp does
 * ({@link RealApp#teamSince}).
 *
 * <p>{@code -Dapp.alsoLoad=PATH} loads another library first, as another JNI library of the application would
 * (the system's libgomp: two OpenMP runtimes in one process).
 *
 * <p>args: {@code [rounds] [pool] [requests] [n] [layers]}. Prints {@code djl_sums} (each request's output sum,
 * all digits), {@code omp_teams} (each round's largest team), round times, {@code torch_threads} (libtorch's
 * intra-op count seen on main at the end) and {@code peak_threads}.
 */
public final class DjlApp {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int poolSize = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 384;
        int layers = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        RealApp.startPeakSampler();
        String also = System.getProperty("app.alsoLoad");
        if (also != null) {
            System.load(also); // another library of the application's, with its own OpenMP runtime
        }
        Engine engine = Engine.getEngine("PyTorch");
        RealApp.print("engine", engine.getEngineName() + " " + engine.getVersion());

        // the model: its weights loaded once, shared read-only by every request (as a Predictor's model is)
        NDManager model = NDManager.newBaseManager(engine.getEngineName());
        NDArray[] weights = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            weights[l] = model.create(floats(100 + l, n * n), new Shape(n, n));
        }
        ExecutorService pool = Executors.newFixedThreadPool(poolSize);
        List<Long> times = new ArrayList<>();
        List<Integer> teams = new ArrayList<>();
        double[] sums = new double[requests];
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            List<Future<double[]>> fs = new ArrayList<>();
            for (int q = 0; q < requests; q++) {
                int id = q;
                fs.add(pool.submit(() -> {
                    Map<String, Long> before = RealApp.teamTicks();
                    double sum;
                    try (NDManager m = NDManager.newBaseManager(engine.getEngineName())) {
                        NDArray x = m.create(floats(id, 128 * n), new Shape(128, n));
                        float scale = (float) (1 / Math.sqrt(n));
                        for (int l = 0; l < layers; l++) {
                            x = x.matMul(weights[l]).mul(scale).tanh();
                        }
                        sum = x.sum().toFloatArray()[0];
                    }
                    return new double[] {sum, RealApp.teamSince(before)};
                }));
            }
            int team = 0;
            for (int q = 0; q < requests; q++) {
                double[] r = fs.get(q).get();
                sums[q] = r[0];
                team = Math.max(team, (int) r[1]);
            }
            times.add(System.nanoTime() - t0);
            teams.add(team);
        }
        pool.shutdown();
        model.close();
        RealApp.printRounds("djl", times);
        RealApp.print("djl_sums", RealApp.exact(sums));
        RealApp.print("omp_teams", teams.toString().replace(" ", ""));
        RealApp.print("torch_threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
        RealApp.print("peak_threads", RealApp.peakThreads());
        RealApp.print("peak_thread_names", RealApp.peakNames());
    }

    static float[] floats(long seed, int count) {
        java.util.Random r = new java.util.Random(seed);
        float[] f = new float[count];
        for (int i = 0; i < count; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return f;
    }
}
