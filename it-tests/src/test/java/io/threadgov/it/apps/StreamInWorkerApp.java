package io.threadgov.it.apps;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

/**
 * Runs a parallel stream on a worker of a top-level fixed pool of 8 and then on the main thread, and prints
 * how many distinct threads evaluated each one's elements and its sum. Each element sleeps 3 ms, so an idle
 * common-pool worker always finds something to steal from a stream that was split, even one that starts
 * late (with 1 ms, on a 2-core AMD EPYC VM, main's stream under the agent and the worker's under observe
 * mode often ran on one thread: the 200 ms stream was over before the common pool's worker took a leaf).
 */
public final class StreamInWorkerApp {

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Future<String> inWorker = pool.submit(StreamInWorkerApp::stream);
        System.out.println("worker=" + inWorker.get());
        pool.shutdown();
        System.out.println("main=" + stream());
    }

    /** "threads:sum" of one parallel stream evaluated on the calling thread. */
    static String stream() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        long sum = LongStream.range(0, 200).parallel().map(x -> {
            threads.add(Thread.currentThread().getName());
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return x * x;
        }).sum();
        return threads.size() + ":" + sum;
    }
}
