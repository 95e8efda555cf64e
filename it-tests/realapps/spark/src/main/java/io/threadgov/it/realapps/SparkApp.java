package io.threadgov.it.realapps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark MLlib 4.2 application in local mode ({@code local[*]}: a task thread per core) as its users write it,
 * unaware of threadgov. Spark's multilayer perceptron multiplies its blocks of rows with netlib-java's BLAS
 * (dgemm), which calls the system's BLAS (Debian's OpenBLAS) from the task threads.
 *
 * <ul>
 * <li>{@code mlp}: one MultilayerPerceptronClassifier fit (layers 24-64-64-3, {@code -Dapp.hidden} another width; L-BFGS, 40 iterations) on 20000
 *     rows in 4 partitions, then its accuracy on 5000 held-out rows.</li>
 * <li>{@code cv}: a CrossValidator over 4 parameter maps (hidden layer 32 or 64, block size 64 or 128, 15
 *     iterations; {@code -Dapp.mlpIter} and {@code -Dapp.cvIter} set other counts) x 3 folds with {@code setParallelism(4)}: a driver pool of 4 threads each running Spark jobs,
 *     whose task threads call BLAS: three levels.</li>
 * <li>{@code all}: both.</li>
 * </ul>
 *
 * <p>args: {@code mlp|cv|all [rounds]}. Spark stays on loopback (spark.driver.host and bindAddress 127.0.0.1,
 * no UI). Prints {@code mlp_accuracy}, {@code mlp_weights} (a few weights, all digits), {@code mlp_checksum} (of
 * every weight's bits), {@code cv_metrics} (the mean F1 of each map, by its name {@code hHIDDEN-bBLOCK}),
 * {@code cv_accuracy}, round times, the BLAS netlib uses and {@code peak_threads}.
 *
 * <p>On a cluster ({@code -Dapp.master=local-cluster[W,C,M]}: a Master and W Workers in this JVM, each Worker
 * starting an executor JVM; Spark's other settings as {@code -Dspark.*} system properties, as spark-submit passes
 * them) the tasks run in the executors, and the driver also prints {@code executors} (their pids),
 * {@code executor_peak_threads} (each one's peak thread count, sampled from /proc) and with
 * {@code -Dapp.peakNames=true} {@code executor_peak_names_PID}, after waiting for them to exit.
 * {@code -Dapp.partitions=N} makes the training rows N contiguous slices instead of {@code repartition(4)}: no
 * shuffle, so each partition holds its rows in the same order on every run.
 */
public final class SparkApp {

    /** L-BFGS iterations of the mlp fit ({@code -Dapp.mlpIter}) and of each cv fit ({@code -Dapp.cvIter}). */
    static final int MLP_ITER = Integer.getInteger("app.mlpIter", 40);
    static final int CV_ITER = Integer.getInteger("app.cvIter", 15);
    /** The width of the mlp fit's two hidden layers ({@code -Dapp.hidden}). */
    static final int HIDDEN = Integer.getInteger("app.hidden", 64);
    /** Slices of the training rows ({@code -Dapp.partitions}); 0: {@code repartition(4)}. */
    static final int PARTITIONS = Integer.getInteger("app.partitions", 0);

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        RealApp.startPeakSampler();
        String master = System.getProperty("app.master", "local[*]");
        Executors executors = master.startsWith("local-cluster") ? new Executors() : null;
        SparkSession spark = SparkSession.builder()
                .master(master)
                .appName("threadgov-realapps")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        Dataset<Row> train = (PARTITIONS > 0 ? data(spark, 1, 20000, PARTITIONS) : data(spark, 1, 20000).repartition(4))
                .cache();
        Dataset<Row> test = data(spark, 2, 5000).cache();
        train.count();
        test.count();
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");

        if (what.equals("mlp") || what.equals("all")) {
            List<Long> times = new ArrayList<>();
            MultilayerPerceptronClassificationModel model = null;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                model = new MultilayerPerceptronClassifier().setLayers(new int[] {24, HIDDEN, HIDDEN, 3}).setMaxIter(MLP_ITER)
                        .setBlockSize(128).setSeed(1L).fit(train);
                times.add(System.nanoTime() - t0);
            }
            RealApp.printRounds("mlp", times);
            RealApp.print("mlp_accuracy", String.format(Locale.ROOT, "%.4f", accuracy.evaluate(model.transform(test))));
            double[] w = model.weights().toArray();
            RealApp.print("mlp_weights", RealApp.exact(new double[] {w[0], w[w.length / 2], w[w.length - 1]}));
            RealApp.print("mlp_checksum", RealApp.checksum(w));
        }
        if (what.equals("cv") || what.equals("all")) {
            MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setMaxIter(CV_ITER).setSeed(1L);
            ParamMap[] grid = new ParamGridBuilder()
                    .addGrid(mlp.layers(), scala.jdk.javaapi.CollectionConverters.asScala(List.of(
                            new int[] {24, 32, 3}, new int[] {24, 64, 3})))
                    .addGrid(mlp.blockSize(), new int[] {64, 128})
                    .build();
            List<Long> times = new ArrayList<>();
            CrossValidatorModel cv = null;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                cv = new CrossValidator().setEstimator(mlp).setEstimatorParamMaps(grid)
                        .setEvaluator(new MulticlassClassificationEvaluator()).setNumFolds(3).setParallelism(4)
                        .setSeed(1L).fit(train);
                times.add(System.nanoTime() - t0);
            }
            RealApp.printRounds("cv", times);
            // ParamGridBuilder's order of maps is a hash order that differs from JVM to JVM: name each map
            java.util.TreeMap<String, Double> metrics = new java.util.TreeMap<>();
            for (int i = 0; i < grid.length; i++) {
                int[] layers = (int[]) grid[i].apply(mlp.layers());
                metrics.put("h" + layers[1] + "-b" + grid[i].apply(mlp.blockSize()), cv.avgMetrics()[i]);
            }
            RealApp.print("cv_metrics", metrics.toString().replace(" ", "").replace("{", "").replace("}", ""));
            RealApp.print("cv_accuracy", String.format(Locale.ROOT, "%.4f", accuracy.evaluate(cv.transform(test))));
        }
        RealApp.print("blas", dev.ludovic.netlib.blas.NativeBLAS.getInstance().getClass().getName());
        spark.stop();
        if (executors != null) {
            executors.stopAndPrint();
        }
        RealApp.print("peak_threads", RealApp.peakThreads());
        RealApp.print("peak_thread_names", RealApp.peakNames());
    }

    /**
     * The executor JVMs of a local-cluster: this JVM's child processes (its Workers start them), each one's peak
     * thread count sampled every 5 ms from /proc/PID/task.
     */
    static final class Executors {
        static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
        private final java.util.Map<Long, Integer> peak = new java.util.concurrent.ConcurrentSkipListMap<>();
        private final java.util.Map<Long, ProcessHandle> seen = new java.util.concurrent.ConcurrentHashMap<>();
        /** {@code -Dapp.peakNames=true}: each executor's thread names at its peak. */
        private static final boolean NAMES = Boolean.getBoolean("app.peakNames");
        private final java.util.Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile boolean stop;
        private final Thread sampler = new Thread(this::sample, "app-executor-sampler");

        Executors() {
            sampler.setDaemon(true);
            sampler.start();
        }

        private void sample() {
            while (!stop) {
                ProcessHandle.current().children().filter(Executors::isExecutor).forEach(p -> {
                    String[] tasks = new java.io.File("/proc/" + p.pid() + "/task").list();
                    if (tasks != null && tasks.length > peak.getOrDefault(p.pid(), 0)) {
                        peak.put(p.pid(), tasks.length);
                        seen.putIfAbsent(p.pid(), p);
                        if (NAMES) {
                            names.put(p.pid(), RealApp.names(Long.toString(p.pid()), tasks));
                        }
                    }
                });
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** An executor JVM (the driver also runs short commands; a child being spawned is still a copy of it). */
        private static boolean isExecutor(ProcessHandle p) {
            try {
                return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + p.pid() + "/cmdline")),
                        java.nio.charset.StandardCharsets.ISO_8859_1).contains("\0" + EXECUTOR_MAIN + "\0");
            } catch (java.io.IOException ended) {
                return false;
            }
        }

        /** After spark.stop(): waits for the executors to exit (they write what they write at exit), prints. */
        void stopAndPrint() throws Exception {
            for (ProcessHandle p : seen.values()) {
                p.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            stop = true;
            sampler.join();
            RealApp.print("executors", String.join(",", peak.keySet().stream().map(String::valueOf).toList()));
            RealApp.print("executor_peak_threads", String.join(",", peak.values().stream().map(String::valueOf).toList()));
            names.forEach((pid, n) -> RealApp.print("executor_peak_names_" + pid, n));
        }
    }

    /** {@link #rows} as a dataset. */
    static Dataset<Row> data(SparkSession spark, long seed, int n) {
        return spark.createDataFrame(rows(seed, n), SCHEMA);
    }

    /** {@link #rows} in {@code slices} contiguous partitions. */
    static Dataset<Row> data(SparkSession spark, long seed, int n, int slices) {
        return spark.createDataFrame(new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                .parallelize(rows(seed, n), slices), SCHEMA);
    }

    static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
        new StructField("features", new VectorUDT(), false, Metadata.empty())});

    /** {@code n} rows of 24 features and a label of 3 classes, the same on every JVM. */
    static List<Row> rows(long seed, int n) {
        java.util.Random r = new java.util.Random(seed);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] f = new double[24];
            double s = 0;
            for (int j = 0; j < f.length; j++) {
                f[j] = r.nextDouble() * 2 - 1;
                s += (j % 2 == 0 ? Math.sin(2 * f[j]) : f[j] * f[(j + 5) % f.length]) / (1 + j % 4);
            }
            double label = s + 0.2 * r.nextGaussian() < -0.3 ? 0 : s < 0.4 ? 1 : 2;
            rows.add(RowFactory.create(label, Vectors.dense(f)));
        }
        return rows;
    }
}
