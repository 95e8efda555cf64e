// What blocks cost: square row-major dgemm whole against blocks of 128, 192, 256 rows of C (and halving
// blocks), best of 4 rounds. java -cp bundled-kernels/target/threadgov-kernels.jar bench/java/GemmBlockCost.java 1|2
import org.bytedeco.javacpp.*;
import org.bytedeco.openblas.global.openblas;
import java.util.*;
public class GemmBlockCost {
  static void call(int m,int n, DoublePointer a, DoublePointer b, DoublePointer c, long i0){
    openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m,n,n,1.0,a.getPointer(i0*n),n,b,n,0.0,c.getPointer(i0*n),n);}
  public static void main(String[] x){
    Loader.load(openblas.class); openblas.blas_set_num_threads(Integer.parseInt(x[0]));
    Random r=new Random(1);
    for (int n : new int[]{480,640,736,1024}) {
      double[] t=new double[n*n]; for(int i=0;i<t.length;i++) t[i]=r.nextDouble()-0.5;
      DoublePointer a=new DoublePointer(t), b=new DoublePointer(t), c=new DoublePointer((long)n*n);
      int reps = (int)Math.max(3, 2e9/((double)n*n*n));
      double[] best=new double[5]; Arrays.fill(best,1e18);
      for (int round=0; round<4; round++) for (int v=0; v<5; v++) { long s=System.nanoTime();
        for (int i=0;i<reps;i++) {
          if (v==0) call(n,n,a,b,c,0);
          else if (v<4) { int mb = v==1?128:v==2?192:256; for (int i0=0;i0<n;i0+=mb) call(Math.min(mb,n-i0),n,a,b,c,i0);} 
          else { int i0=0; int rem=n; while (rem>0){ int h = rem<=128? rem : Math.max(128, (rem/2+31)/32*32); call(h,n,a,b,c,i0); i0+=h; rem-=h;} }
        }
        best[v]=Math.min(best[v],(System.nanoTime()-s)/(double)reps);}
      System.out.printf("n=%d t%s full %.2f ms  M128 %.3f M192 %.3f M256 %.3f halving %.3f%n", n, x[0], best[0]/1e6, best[1]/best[0], best[2]/best[0], best[3]/best[0], best[4]/best[0]);
    }
  }
}
