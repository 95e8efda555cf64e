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
 * <li>{@code mlp}: one MultilayerPerceptronClassifier fit (layers 24-64-64-3, L-BFGS, 40 iterations) on 20000
 *     rows in 4 partitions, then its accuracy on 5000 held-out rows.</li>
 * <li>{@code cv}: a CrossValidator over 4 parameter maps (hidden layer 32 or 64, block size 64 or 128, 15
 *     iterations; {@code -Dapp.mlpIter} and {@code -Dapp.cvIter} set other counts) x 3 folds with {@code setParallelism(4)}: a driver pool of 4 threads each running Spark jobs,
 *     whose task threads call BLAS: three levels.</li>
 * <li>{@code all}: both.</li>
 * </ul>
 *
 * <p>args: {@code mlp|cv|all [rounds]}. Spark stays on loopback (spark.driver.host and bindAddress 127.0.0.1,
 * no UI). Prints {@code mlp_accuracy}, {@code mlp_weights} (a few weights, all digits), {@code cv_metrics}
 * (the mean F1 of each map, by its name {@code hHIDDEN-bBLOCK}), {@code cv_accuracy}, round times, the BLAS netlib uses and {@code peak_threads}.
 */
public final class SparkApp {

    /** L-BFGS iterations of the mlp fit ({@code -Dapp.mlpIter}) and of each cv fit ({@code -Dapp.cvIter}). */
    static final int MLP_ITER = Integer.getInteger("app.mlpIter", 40);
    static final int CV_ITER = Integer.getInteger("app.cvIter", 15);

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        RealApp.startPeakSampler();
        SparkSession spark = SparkSession.builder()
                .master(System.getProperty("app.master", "local[*]"))
                .appName("threadgov-realapps")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        Dataset<Row> train = data(spark, 1, 20000).repartition(4).cache();
        Dataset<Row> test = data(spark, 2, 5000).cache();
        train.count();
        test.count();
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");

        if (what.equals("mlp") || what.equals("all")) {
            List<Long> times = new ArrayList<>();
            MultilayerPerceptronClassificationModel model = null;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                model = new MultilayerPerceptronClassifier().setLayers(new int[] {24, 64, 64, 3}).setMaxIter(MLP_ITER)
                        .setBlockSize(128).setSeed(1L).fit(train);
                times.add(System.nanoTime() - t0);
            }
            RealApp.printRounds("mlp", times);
            RealApp.print("mlp_accuracy", String.format(Locale.ROOT, "%.4f", accuracy.evaluate(model.transform(test))));
            double[] w = model.weights().toArray();
            RealApp.print("mlp_weights", RealApp.exact(new double[] {w[0], w[w.length / 2], w[w.length - 1]}));
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
        RealApp.print("peak_threads", RealApp.peakThreads());
        RealApp.print("peak_thread_names", RealApp.peakNames());
    }

    /** {@code n} rows of 24 features and a label of 3 classes, the same on every JVM. */
    static Dataset<Row> data(SparkSession spark, long seed, int n) {
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
        StructType schema = new StructType(new StructField[] {
            new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
            new StructField("features", new VectorUDT(), false, Metadata.empty())});
        return spark.createDataFrame(rows, schema);
    }
}
