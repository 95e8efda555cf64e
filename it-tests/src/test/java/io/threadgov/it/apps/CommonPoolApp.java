package io.threadgov.it.apps;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/** Prints the common pool's parallelism and runs a parallel stream on it. */
public final class CommonPoolApp {

    public static void main(String[] args) {
        System.out.println("common=" + ForkJoinPool.commonPool().getParallelism());
        System.out.println("sum=" + IntStream.range(0, 100_000).parallel().asLongStream().map(x -> x * x % 11).sum());
    }
}
