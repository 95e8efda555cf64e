// The unbalanced kernel's ceiling on 2 cores: single-thread (and 2-thread) dgemm time of each order the kernel
// draws (best of 5 rounds), then list scheduling of the kernel's 48 products in order on 2 workers at 1 thread
// against the ideal (all work spread evenly). Same draw as bundled-kernels' Unbalanced (seed 20240601,
// Pareto alpha 1.2, orders 64..1024 rounded up to 32).
//   java -cp bundled-kernels/target/threadgov-kernels.jar bench/java/UnbalancedCeiling.java
import org.bytedeco.javacpp.*;
import org.bytedeco.openblas.global.openblas;
import java.util.*;
public class UnbalancedCeiling {
  public static void main(String[] x){
    Random rnd=new Random(20240601L); int[] orders=new int[48];
    for(int t=0;t<48;t++){ double u=1.0-rnd.nextDouble(); int n=(int)Math.min(1024,Math.round(64*Math.pow(u,-1.0/1.2)));
      n=Math.max(64,(n+31)/32*32); orders[t]=Math.min(n,1024);}
    Loader.load(openblas.class);
    Map<Integer,Double> t1=new TreeMap<>(); Random r=new Random(1);
    for (int n : new TreeSet<>(Arrays.stream(orders).boxed().toList())) {
      double[] t=new double[n*n]; for(int i=0;i<t.length;i++) t[i]=r.nextDouble()-0.5;
      DoublePointer a=new DoublePointer(t), b=new DoublePointer(t), c=new DoublePointer((long)n*n);
      int reps=(int)Math.max(5, 1e9/((double)n*n*n)); double[] best={1e18,1e18};
      for (int round=0; round<5; round++) for (int th=1; th<=2; th++) { openblas.blas_set_num_threads(th); long s=System.nanoTime();
        for (int i=0;i<reps;i++) openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n,n,n,1.0,a,n,b,n,0.0,c,n);
        best[th-1]=Math.min(best[th-1],(System.nanoTime()-s)/(double)reps/1e6);}
      t1.put(n,best[0]);
      System.out.printf("n=%d t1 %.3f ms t2 %.3f ms speedup %.2f%n", n, best[0], best[1], best[0]/best[1]);
    }
    double total=0, w0=0, w1=0;
    for (int n : orders) { double d=t1.get(n); total+=d; if (w0<=w1) w0+=d; else w1+=d; }
    System.out.printf("one core %.2f ms, ideal on 2 %.2f, in order on 2 workers %.2f (%.1f %% after the ideal), idle tail %.2f ms%n",
        total, total/2, Math.max(w0,w1), 100*(Math.max(w0,w1)/(total/2)-1), Math.abs(w0-w1));
  }
}
