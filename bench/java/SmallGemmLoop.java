// One thread calling the kernels' Blas.multiplySum on a square product of order N, CALLS times per round, 12
// rounds; prints microseconds per call of rounds 5-12. Run with and without gemm blocks to see whether their
// wrapper costs a single caller anything (BENCHMARKS.md, History, 2026-12-03 d8cd764..bb7a9a8, "Why gemm blocks
// are now opt-in": it did not, beyond the noise):
//   java -javaagent:agent/target/threadgov-agent.jar=gemm_blocks=on -cp bundled-kernels/target/threadgov-kernels.jar bench/java/SmallGemmLoop.java 192 300
import io.threadgov.kernels.Blas;
public class SmallGemmLoop {
    public static void main(String[] a) throws Exception {
        Blas.load();
        int n = Integer.parseInt(a[0]);
        int calls = Integer.parseInt(a[1]);
        Blas.Operands ops = new Blas.Operands(n, 7);
        double s = 0;
        for (int r = 0; r < 12; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                s += Blas.multiplySum(ops);
            }
            long t1 = System.nanoTime();
            if (r >= 4) {
                System.out.printf("%.1f ", (t1 - t0) / 1e3 / calls);
            }
        }
        System.out.println(" us/call (checksum " + s + ")");
    }
}
