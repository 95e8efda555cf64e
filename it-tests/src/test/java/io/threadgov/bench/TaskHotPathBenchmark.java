package io.threadgov.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The task hot path: submit-and-run of tiny tasks through a fixed pool and a ForkJoinPool. Run it with
 * and without the agent ({@code bench/hotpath.sh}, rounds interleaved) and compare the two. Each
 * invocation submits a batch of tasks and waits for all; the result is the number of tasks that ran.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(2)
public class TaskHotPathBenchmark {

    static final int BATCH = 1000;

    ExecutorService fixed;
    ForkJoinPool forkJoin;
    final LongAdder ran = new LongAdder();

    @Setup(Level.Trial)
    public void setup() {
        fixed = Executors.newFixedThreadPool(2);
        forkJoin = new ForkJoinPool(2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixed.shutdownNow();
        forkJoin.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long fixedPool() throws InterruptedException {
        return batch(fixed);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long forkJoinPool() throws InterruptedException {
        return batch(forkJoin);
    }

    private long batch(ExecutorService e) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            e.execute(() -> {
                ran.increment();
                done.countDown();
            });
        }
        done.await();
        return ran.sum();
    }
}
