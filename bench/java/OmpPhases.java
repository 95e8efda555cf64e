// Phases that move an OpenMP runtime's team size, where idle team threads spinning cost the workers a core: ROUNDS
// times, the main thread runs one OpenMP region (the kernels' OmpKernel.potential, order N, at the whole budget
// under the agent), then a fixed pool of POOL workers runs POOL such regions (1 thread each under the agent).
// Prints elapsed_ms (median of REPS repetitions after one warm-up) and a checksum. The kernels jar's OpenMP
// library is built against libgomp; bench/spin-wait.sh also runs it against LLVM's libomp.
//   java [-javaagent:...] -cp bundled-kernels/target/threadgov-kernels.jar bench/java/OmpPhases.java N ROUNDS POOL REPS
import io.threadgov.kernels.OmpKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
public class OmpPhases {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        int rounds = Integer.parseInt(a[1]);
        int pool = Integer.parseInt(a[2]);
        int reps = Integer.parseInt(a[3]);
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, pool)); // POOL 0: main only
        double[] ms = new double[reps];
        double sum = 0;
        for (int r = -1; r < reps; r++) {
            long t0 = System.nanoTime();
            sum = 0;
            for (int i = 0; i < rounds; i++) {
                sum += OmpKernel.potential(n, i, 1);
                List<Future<Double>> fs = new ArrayList<>();
                for (int w = 0; w < pool; w++) {
                    long seed = 1000L * i + w;
                    fs.add(workers.submit(() -> OmpKernel.potential(n, seed, 1)));
                }
                for (Future<Double> f : fs) {
                    sum += f.get();
                }
            }
            if (r >= 0) {
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        workers.shutdown();
        Arrays.sort(ms);
        System.out.printf("elapsed_ms=%.1f checksum=%s%n", ms[reps / 2], sum);
    }
}
