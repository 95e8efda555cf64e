package io.threadgov.it.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded load on a {@link BlasServerApp}: {@code requests} requests {@code GET /gemm?seed=S} (S = seed0, seed0 + 1,
 * ...) from {@code clients} client threads at once, each sending its next request when its answer came, over
 * HTTP/1.1 keep-alive connections. Run in the JVM of the tests or of {@link LoadApp}, never in the server's.
 */
final class Load {

    /** The answers, by seed order, and the wall time from the first request to the last answer. */
    static final class Answers {
        final List<String> answers;
        final long elapsedMs;

        Answers(List<String> answers, long elapsedMs) {
            this.answers = answers;
            this.elapsedMs = elapsedMs;
        }

        /** One hex value for all answers in seed order (two runs answered alike exactly when their digests are equal). */
        String digest() {
            long h = answers.size();
            for (String a : answers) {
                h = h * 1_000_003 + Long.parseUnsignedLong(a, 16);
            }
            return Long.toHexString(h);
        }
    }

    private Load() {
    }

    static Answers run(int port, int requests, int clients, long seed0) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String[] answers = new String[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    for (int i = next.getAndIncrement(); i < requests && failure.get() == null; i = next.getAndIncrement()) {
                        answers[i] = get(http, port, "/gemm?seed=" + (seed0 + i));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "load-client-" + c);
            threads.add(t);
            t.start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (failure.get() != null) {
            throw new IllegalStateException("a request failed: " + failure.get(), failure.get());
        }
        return new Answers(List.of(answers), ms);
    }

    /** Asks the server to stop; a server already gone is no error. */
    static void stop(int port) {
        try {
            get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), port, "/stop");
        } catch (Exception gone) {
            // it stopped before answering
        }
    }

    private static String get(HttpClient http, int port, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException(pathAndQuery + ": HTTP " + resp.statusCode() + " " + resp.body());
        }
        return resp.body().trim();
    }
}
