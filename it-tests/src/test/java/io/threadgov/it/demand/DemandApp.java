package io.threadgov.it.demand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * The shapes of issue #20 ("govern what threads do, not where a pool was born"), unaware of the agent:
 * {@code java DemandApp SHAPE [REPS]}, SHAPE one of
 * <pre>
 * sleep          handler pool of 4, 16 requests; each creates newFixedThreadPool(16) and submits 16 calls that sleep 40 ms
 * socket         the same, each call a request to a server in this JVM (127.0.0.1, a thread per connection) that answers after 40 ms
 * cfchain        the same pools, 8 requests, each 16 CompletableFuture chains of two 40 ms sleeps (supplyAsync, thenApplyAsync)
 * compute        4 requests of the fan-out whose 16 calls each compute 40 ms (thread CPU time): the control, stays cut
 * mixed          handler pool of 2, 6 requests of 16 calls, each call computes 12 ms then sleeps 28 ms
 * turns          one pool of 8 created on a worker: 32 sleeps of 10 ms, then 800 computations of 4 ms
 * stream         8 rounds, one after the other, of a parallel stream of 100 sleeps of 3 ms on a worker of a pool of 4
 * latch          8 requests on a handler pool of 4; each a newFixedThreadPool(2) whose first task awaits a latch the second counts down
 * barrier        the same, the two tasks meet at a CyclicBarrier(2)
 * holder         a lazy holder's global pool (static final newFixedThreadPool(2)) first used on a worker, then fed 8 computations of 40 ms by main
 * holder-getter  the same pool created in a synchronized static getter (not class initialization), first called on a worker
 * </pre>
 * Prints {@code key=value} lines: {@code shape}, {@code checksum} (from the results only, the same with and
 * without the agent), {@code tasks} (calls or tasks that ran), {@code elapsed_ms}, and per shape the pool
 * sizes it saw ({@code nested_core_min/max}: each nested pool's getCorePoolSize() when its request ends;
 * {@code turns_core_io/compute}; {@code stream_threads_last}; {@code shared_core}).
 *
 * <p>{@code elapsed_ms} starts after a warm-up ({@link #warmUp}), so it holds no part of the agent's start.
 * REPS (default 1) runs the shape that many times in this JVM (new pools at the same creation sites; the
 * holders' global pool is created once): then {@code elapsed_ms} is the last run's, {@code elapsed_ms_all}
 * lists them all, the checksum combines them and the pool sizes are the last run's.
 * Computation burns a given thread CPU time (not a given number of iterations), so the share of a
 * call's time it computes is the same on any machine; its result is a function of the inputs only.
 */
public final class DemandApp {

    static final AtomicLong TASKS = new AtomicLong();
    static final Map<String, String> OUT = new LinkedHashMap<>();
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    static volatile long sink;

    private DemandApp() {
    }

    public static void main(String[] args) throws Exception {
        String shape = args.length > 0 ? args[0] : "sleep";
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        warmUp();
        long checksum = 0;
        long elapsed = 0;
        StringBuilder all = new StringBuilder();
        for (int rep = 0; rep < reps; rep++) {
            long t0 = System.nanoTime();
            long c = run(shape, rep == reps - 1);
            elapsed = (System.nanoTime() - t0) / 1_000_000;
            all.append(rep == 0 ? "" : ",").append(elapsed);
            checksum = checksum * 31 + c;
        }
        PrintStream o = System.out;
        o.println("shape=" + shape);
        o.println("checksum=" + checksum);
        o.println("tasks=" + TASKS.get());
        o.println("elapsed_ms=" + elapsed);
        if (reps > 1) {
            o.println("elapsed_ms_all=" + all);
        }
        OUT.forEach((k, v) -> o.println(k + "=" + v));
        o.println("avail=" + Runtime.getRuntime().availableProcessors());
        o.flush();
    }

    /** One run of {@code shape}; {@code last}: the global pools of the holder shapes are shut down after it. */
    static long run(String shape, boolean last) throws Exception {
        switch (shape) {
            case "sleep": return fanOut(4, 16, 16, 16, DemandApp::sleepCall);
            case "socket": return socket();
            case "cfchain": return fanOut(4, 8, r -> cfRequest(r, 16));
            case "compute": return fanOut(4, 4, 16, 16, DemandApp::computeCall);
            case "mixed": return fanOut(2, 6, 16, 16, DemandApp::mixedCall);
            case "turns": return turns();
            case "stream": return stream();
            case "latch": return handOff(false);
            case "barrier": return handOff(true);
            case "holder": return holder(false, last);
            case "holder-getter": return holder(true, last);
            default:
                System.err.println("unknown shape " + shape
                        + " (sleep socket cfchain compute mixed turns stream latch barrier holder holder-getter)");
                System.exit(2);
                return 0;
        }
    }

    /**
     * Before the clock starts: a top-level pool of 2 (creator site DemandApp.warmUp, no shape's site) runs a
     * task that creates a nested pool (site DemandApp.warmUpNested) and waits for two trivial tasks and a
     * CompletableFuture stage on it, so the agent's deferred start, which the first pool created waits for,
     * and the first run of its hooks (hundreds of ms on a loaded machine, in bench/startup.sh's measure) are
     * not in elapsed_ms.
     */
    static void warmUp() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        sink = pool.submit(DemandApp::warmUpNested).get() + pool.submit(() -> mix(2, 1)).get();
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    static long warmUpNested() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            return pool.submit(() -> mix(1, 2)).get() + pool.submit(() -> mix(2, 1)).get()
                    + CompletableFuture.supplyAsync(() -> mix(3, 3), pool).thenApplyAsync(x -> x + 1, pool).join();
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- calls

    /** One call of a fan-out: request r, call i; returns a value of r and i only. */
    interface Call {
        long call(int r, int i) throws Exception;
    }

    /** A deterministic value of (a, b). */
    static long mix(long a, long b) {
        long x = a * 0x9E3779B97F4A7C15L + b + 1;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 29);
    }

    /** Computes until the calling thread has used {@code millis} ms of CPU time; nothing allocated. */
    static void burn(long millis) {
        long end = MX.getCurrentThreadCpuTime() + millis * 1_000_000;
        long x = end;
        do {
            for (int k = 0; k < 20_000; k++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                x ^= x >>> 29;
            }
        } while (MX.getCurrentThreadCpuTime() < end);
        sink = x;
    }

    static long sleepCall(int r, int i) throws InterruptedException {
        Thread.sleep(40);
        TASKS.incrementAndGet();
        return mix(r, i);
    }

    static long computeCall(int r, int i) {
        burn(40);
        TASKS.incrementAndGet();
        return mix(r, i);
    }

    static long mixedCall(int r, int i) throws InterruptedException {
        burn(12);
        Thread.sleep(28);
        TASKS.incrementAndGet();
        return mix(r, i);
    }

    // ---------------------------------------------------------------- fan-out

    /**
     * A handler pool of {@code handlers} serves {@code requests} requests, each {@link #request}; returns the
     * checksum of their results, records the nested pools' core sizes at the end of their requests.
     */
    static long fanOut(int handlers, int requests, int poolSize, int calls, Call call) throws Exception {
        return fanOut(handlers, requests, r -> request(r, poolSize, calls, call));
    }

    /** A request's work: {checksum, its pool's core size at the end}. */
    interface Request {
        long[] serve(int request) throws Exception;
    }

    /** As {@link #fanOut(int, int, int, int, Call)}, each request served by {@code serve}. */
    static long fanOut(int handlers, int requests, Request serve) throws Exception {
        ExecutorService handler = Executors.newFixedThreadPool(handlers);
        List<Future<long[]>> rs = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            final int req = r;
            rs.add(handler.submit(() -> serve.serve(req)));
        }
        long checksum = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (Future<long[]> f : rs) {
            long[] v = f.get();
            checksum = checksum * 31 + v[0];
            min = Math.min(min, (int) v[1]);
            max = Math.max(max, (int) v[1]);
        }
        handler.shutdown();
        handler.awaitTermination(60, TimeUnit.SECONDS);
        OUT.put("nested_pools", String.valueOf(requests));
        OUT.put("nested_core_min", String.valueOf(min));
        OUT.put("nested_core_max", String.valueOf(max));
        return checksum;
    }

    /** One request: a pool of its own (the creator site the report names: DemandApp.request), its calls. */
    static long[] request(int r, int poolSize, int calls, Call call) throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(poolSize);
        try {
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                final int c = i;
                fs.add(pool.submit(() -> call.call(r, c)));
            }
            long sum = 0;
            for (Future<Long> f : fs) {
                sum = sum * 31 + f.get();
            }
            return new long[] {sum, pool.getCorePoolSize()};
        } finally {
            pool.shutdown();
        }
    }

    // ---------------------------------------------------------------- socket

    /** The sleep fan-out with each call a request to a loopback server that answers after 40 ms. */
    static long socket() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            int port = server.getLocalPort();
            AtomicLong served = new AtomicLong();
            Thread acceptor = new Thread(() -> serve(server, served), "demand-acceptor");
            acceptor.start();
            long checksum;
            try {
                checksum = fanOut(4, 16, 16, 16, (r, i) -> socketCall(port, r, i));
            } finally {
                server.close();
                acceptor.join(10_000);
            }
            OUT.put("served", String.valueOf(served.get()));
            return checksum;
        }
    }

    /** Accepts until the server socket is closed; a plain thread per connection. */
    static void serve(ServerSocket server, AtomicLong served) {
        List<Thread> handlers = new ArrayList<>();
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException closed) {
                break;
            }
            Thread t = new Thread(() -> answer(s, served), "demand-conn");
            t.start();
            handlers.add(t);
            handlers.removeIf(h -> !h.isAlive());
        }
        for (Thread t : handlers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Reads "r i", waits 40 ms, answers mix(r, i). */
    static void answer(Socket s, AtomicLong served) {
        try (Socket c = s) {
            c.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
            String line = in.readLine();
            if (line == null) {
                return;
            }
            String[] p = line.trim().split(" ");
            Thread.sleep(40);
            OutputStream out = c.getOutputStream();
            out.write((mix(Long.parseLong(p[0]), Long.parseLong(p[1])) + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            served.incrementAndGet();
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("server: " + e);
        }
    }

    static long socketCall(int port, int r, int i) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 30_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((r + " " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (line == null) {
                throw new IOException("no answer for " + r + " " + i);
            }
            TASKS.incrementAndGet();
            return Long.parseLong(line.trim());
        }
    }

    // ---------------------------------------------------------------- CompletableFuture chain

    /** One request: its pool (creator site DemandApp.cfRequest) runs 16 chains of two blocking stages. */
    static long[] cfRequest(int r, int poolSize) throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(poolSize);
        try {
            List<CompletableFuture<Long>> cfs = new ArrayList<>();
            for (int i = 0; i < poolSize; i++) {
                final int c = i;
                cfs.add(CompletableFuture.supplyAsync(() -> blockingStage(r, c), pool)
                        .thenApplyAsync(v -> v ^ blockingStage(r, 1000 + c), pool));
            }
            long sum = 0;
            for (CompletableFuture<Long> cf : cfs) {
                sum = sum * 31 + cf.join();
            }
            return new long[] {sum, pool.getCorePoolSize()};
        } finally {
            pool.shutdown();
        }
    }

    static long blockingStage(int r, int i) {
        try {
            Thread.sleep(40);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        TASKS.incrementAndGet();
        return mix(r, i);
    }

    // ---------------------------------------------------------------- turns

    /** One pool created on a worker (creator site DemandApp.turnsRequest) that first waits, then computes. */
    static long turns() throws Exception {
        ExecutorService handler = Executors.newFixedThreadPool(2);
        long checksum = handler.submit(DemandApp::turnsRequest).get();
        handler.shutdown();
        handler.awaitTermination(60, TimeUnit.SECONDS);
        return checksum;
    }

    static long turnsRequest() throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(8);
        try {
            long sum = 0;
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                final int c = i;
                fs.add(pool.submit(() -> {
                    Thread.sleep(10);
                    TASKS.incrementAndGet();
                    return mix(1, c);
                }));
            }
            for (Future<Long> f : fs) {
                sum = sum * 31 + f.get();
            }
            OUT.put("turns_core_io", String.valueOf(pool.getCorePoolSize()));
            fs.clear();
            for (int i = 0; i < 800; i++) {
                final int c = i;
                fs.add(pool.submit(() -> {
                    burn(4);
                    TASKS.incrementAndGet();
                    return mix(2, c);
                }));
            }
            for (Future<Long> f : fs) {
                sum = sum * 31 + f.get();
            }
            OUT.put("turns_core_compute", String.valueOf(pool.getCorePoolSize()));
            return sum;
        } finally {
            pool.shutdown();
        }
    }

    // ---------------------------------------------------------------- stream

    /**
     * 8 rounds, one at a time, each a parallel stream of 100 elements that sleep 3 ms, evaluated on a worker
     * of a fixed pool of 4; records how many threads ran each round's elements.
     */
    static long stream() throws Exception {
        ExecutorService handler = Executors.newFixedThreadPool(4);
        long checksum = 0;
        StringBuilder threads = new StringBuilder();
        String last = "";
        for (int round = 0; round < 8; round++) {
            final int rd = round;
            long[] v = handler.submit(() -> streamRound(rd)).get();
            checksum = checksum * 31 + v[0];
            last = String.valueOf(v[1]);
            threads.append(threads.length() == 0 ? "" : ",").append(v[1]);
        }
        handler.shutdown();
        handler.awaitTermination(60, TimeUnit.SECONDS);
        OUT.put("stream_threads", threads.toString());
        OUT.put("stream_threads_last", last);
        return checksum;
    }

    static long[] streamRound(int round) {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        long sum = LongStream.range(0, 100).parallel().map(x -> {
            threads.add(Thread.currentThread());
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TASKS.incrementAndGet();
            return mix(round, x) & 0xFFFFFFFFL;
        }).sum();
        return new long[] {sum, threads.size()};
    }

    // ---------------------------------------------------------------- latch, barrier

    /**
     * 8 requests on a handler pool of 4; each creates a newFixedThreadPool(2) (creator site
     * DemandApp.handOffRequest) whose two tasks hand off: the first awaits what the second does.
     */
    static long handOff(boolean barrier) throws Exception {
        return fanOut(4, 8, r -> handOffRequest(r, barrier));
    }

    static long[] handOffRequest(int r, boolean barrier) throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
        try {
            Future<Long> first;
            Future<Long> second;
            if (barrier) {
                CyclicBarrier meet = new CyclicBarrier(2);
                first = pool.submit(() -> {
                    Thread.sleep(10);
                    meet.await();
                    TASKS.incrementAndGet();
                    return mix(r, 0);
                });
                second = pool.submit(() -> {
                    Thread.sleep(10);
                    meet.await();
                    TASKS.incrementAndGet();
                    return mix(r, 1);
                });
            } else {
                CountDownLatch latch = new CountDownLatch(1);
                first = pool.submit(() -> {
                    latch.await();
                    TASKS.incrementAndGet();
                    return mix(r, 0);
                });
                second = pool.submit(() -> {
                    Thread.sleep(20);
                    TASKS.incrementAndGet();
                    latch.countDown();
                    return mix(r, 1);
                });
            }
            long v = first.get() * 31 + second.get();
            return new long[] {v, pool.getCorePoolSize()};
        } finally {
            pool.shutdown();
        }
    }

    // ---------------------------------------------------------------- holder, holder-getter

    /** The lazy holder idiom: the global pool is created by Holder's class initialization, where first used. */
    static final class Holder {
        static final ExecutorService SHARED = Executors.newFixedThreadPool(2);

        private Holder() {
        }
    }

    private static ExecutorService lazy;

    /** The same global pool created in a synchronized getter (creator site DemandApp.lazyShared). */
    static synchronized ExecutorService lazyShared() {
        if (lazy == null) {
            lazy = Executors.newFixedThreadPool(2);
        }
        return lazy;
    }

    /**
     * A global pool of 2 first used on a worker of a handler pool of 4 (which creates it), then fed by main
     * with 8 computations of 40 ms; records its core size as main sees it when they are done.
     */
    static long holder(boolean getter, boolean last) throws Exception {
        ExecutorService handler = Executors.newFixedThreadPool(4);
        long checksum = handler.submit(() -> {
            ExecutorService shared = getter ? lazyShared() : Holder.SHARED;
            return shared.submit(() -> {
                TASKS.incrementAndGet();
                return mix(0, 0);
            }).get();
        }).get();
        handler.shutdown();
        handler.awaitTermination(60, TimeUnit.SECONDS);
        ExecutorService shared = getter ? lazyShared() : Holder.SHARED;
        List<Future<Long>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            final int c = i;
            fs.add(shared.submit(() -> {
                burn(40);
                TASKS.incrementAndGet();
                return mix(1, c);
            }));
        }
        for (Future<Long> f : fs) {
            checksum = checksum * 31 + f.get();
        }
        OUT.put("shared_core", String.valueOf(((ThreadPoolExecutor) shared).getCorePoolSize()));
        if (last) {
            shared.shutdown();
            shared.awaitTermination(60, TimeUnit.SECONDS);
        }
        return checksum;
    }
}
