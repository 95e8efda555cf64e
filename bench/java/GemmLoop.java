// One thread calling the kernels' Blas.multiplySum (JavaCPP OpenBLAS dgemm) on a square product of order N, CALLS
// times after START_AT_MS (epoch ms, so that several JVMs start together; 0: at once), then stays LINGER_MS (an idle
// neighbour: CALLS 0); prints elapsed_ms and a checksum.
// bench/host-budget.sh runs several at once:
//   java [-javaagent:...=scope=host] -cp bundled-kernels/target/threadgov-kernels.jar bench/java/GemmLoop.java 512 60 0
import io.threadgov.kernels.Blas;
public class GemmLoop {
    public static void main(String[] a) throws Exception {
        Blas.load();
        int n = Integer.parseInt(a[0]);
        int calls = Integer.parseInt(a[1]);
        long startAt = a.length > 2 ? Long.parseLong(a[2]) : 0;
        long linger = a.length > 3 ? Long.parseLong(a[3]) : 0;
        Blas.Operands ops = new Blas.Operands(n, 7);
        Blas.multiplySum(ops); // warm: the library loaded and its threads started before the clock
        long wait = startAt - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        long t0 = System.nanoTime();
        double s = 0;
        for (int i = 0; i < calls; i++) {
            s += Blas.multiplySum(ops);
        }
        System.out.printf("elapsed_ms=%.1f checksum=%s%n", (System.nanoTime() - t0) / 1e6, s);
        Thread.sleep(linger);
    }
}
