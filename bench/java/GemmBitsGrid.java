// Whole dgemm against the same product in blocks of N (column-major, C m x n, k = 700), at the thread
// count given: "=" when the bits are the same. java -cp bundled-kernels/target/threadgov-kernels.jar bench/java/GemmBitsGrid.java 1|2
import org.bytedeco.javacpp.*;
import org.bytedeco.openblas.global.openblas;
import java.util.*;
public class GemmBitsGrid {
  static double[] fill(long len, long seed){ SplittableRandom r=new SplittableRandom(seed); double[] d=new double[(int)len]; for(int i=0;i<d.length;i++) d[i]=r.nextDouble()-0.5; return d;}
  static long run(int m,int n,int k,int bs){
    int lda=m,ldb=k,ldc=m;
    DoublePointer a=new DoublePointer(fill((long)k*lda,6)), b=new DoublePointer(fill((long)n*ldb,7)), c=new DoublePointer((long)n*ldc);
    if (bs==0) openblas.cblas_dgemm(102,111,111,m,n,k,1.0,a,lda,b,ldb,0.0,c,ldc);
    else for (int j=0;j<n;j+=bs){ int w=Math.min(bs,n-j); openblas.cblas_dgemm(102,111,111,m,w,k,1.0,a,lda,b.getPointer((long)j*ldb),ldb,0.0,c.getPointer((long)j*ldc),ldc);}
    double[] out=new double[(int)((long)n*ldc)]; c.get(out); long h=1; for(double v:out) h=31*h+Double.doubleToRawLongBits(v);
    a.close(); b.close(); c.close(); return h;
  }
  public static void main(String[] x){
    Loader.load(openblas.class); openblas.blas_set_num_threads(Integer.parseInt(x[0]));
    int k=700;
    for (int m : new int[]{600,608,616,640,777,800,1000,1024,520})
      for (int n : new int[]{640,700}) {
        long w=run(m,n,k,0); StringBuilder sb=new StringBuilder("m="+m+" n="+n+":");
        for (int bs : new int[]{32,96,192,224,256}) sb.append(" ").append(bs).append(run(m,n,k,bs)==w?"=":"X");
        System.out.println(sb);
      }
  }
}
