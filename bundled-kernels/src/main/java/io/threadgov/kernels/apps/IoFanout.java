package io.threadgov.kernels.apps;

import io.threadgov.kernels.Checksum;
import io.threadgov.kernels.Kernel;
import io.threadgov.kernels.Knobs;
import io.threadgov.kernels.Mix;
import io.threadgov.kernels.PhaseTimes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A service where waiting, not computing, dominates: an outer fixed pool (the request handlers) serves
 * {@code kernel.tasks} requests (32; quick 16); each request creates its own
 * {@code Executors.newFixedThreadPool(16)} (or kernel.inner), fans out {@value #FANOUT} downstream calls to it,
 * collects the replies in call order and shuts the pool down. A call opens a loopback socket to a
 * {@link DelayServer} in the same JVM, sends its request and blocks in the socket read until the server
 * answers, {@code kernel.size} to 2 x kernel.size ms later (10 to 20 ms; quick 4 to 8; the delay of each
 * call is fixed by its key), then checks and folds the {@value #REPLY_WORDS}-word reply (a few microseconds
 * of compute). The checksum covers every reply, in request and call order.
 *
 * <p>Unlike the other kernels the nested pool is sized by the fan-out, not by the cores: one thread per
 * blocking call is what such a service asks for, so {@link #defaultInner} is {@value #FANOUT} and the static
 * grid tries that size as well. With 16 threads a request takes about its slowest call (~20 ms); cut to one
 * thread it takes the sum of its calls (~240 ms), while the cores stay idle either way.
 */
public final class IoFanout implements Kernel {
    /** Downstream calls per request, and the nested pool's size when kernel.inner is unset. */
    static final int FANOUT = 16;
    /** Reply length in 8-byte words. */
    static final int REPLY_WORDS = 64;
    /** Rounds of the fold over each reply word: the little compute of a call. */
    static final int FOLD_ROUNDS = 4;
    /** A call that gets no reply in this time fails the run instead of hanging it. */
    static final int SOCKET_TIMEOUT_MS = 30_000;

    private Knobs knobs;
    private int requests;
    private int baseDelayMs;
    private int inner;
    private volatile DelayServer server;
    private InetSocketAddress address;

    @Override
    public String name() {
        return "io-fanout";
    }

    @Override
    public String description() {
        return "fixed pool(outer) x nested fixed pool(" + FANOUT + ") per request, " + FANOUT
                + " blocking loopback socket calls of 10-20 ms each";
    }

    @Override
    public int defaultInner(int cores) {
        return FANOUT;
    }

    @Override
    public void setUp(Knobs k) throws IOException {
        this.knobs = k;
        this.requests = k.tasks(32, 16);
        this.baseDelayMs = k.size(10, 4);
        this.inner = k.inner().orElse(FANOUT);
        this.server = DelayServer.start();
        this.address = server.address();
    }

    @Override
    public Checksum runOnce(PhaseTimes phases) throws Exception {
        List<Callable<Long>> work = new ArrayList<>(requests);
        for (int r = 0; r < requests; r++) {
            int request = r;
            work.add(() -> handle(request));
        }
        long acc = 0;
        for (long v : OuterPool.runAll(knobs.outer, work)) {
            acc = Checksum.mix(acc, v);
        }
        return Checksum.ofLong(acc);
    }

    @Override
    public void tearDown() {
        if (server != null) {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** One request: its own nested pool, {@value #FANOUT} calls, the replies folded in call order. */
    private long handle(int request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(inner);
        try {
            List<Future<Long>> calls = new ArrayList<>(FANOUT);
            for (int c = 0; c < FANOUT; c++) {
                long key = (long) request * FANOUT + c;
                calls.add(pool.submit(() -> call(key)));
            }
            long acc = 0;
            for (Future<Long> f : calls) {
                acc = Checksum.mix(acc, f.get());
            }
            return acc;
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** The delay of call {@code key}: in [base, 2 x base] ms, fixed by the key. */
    int delayMs(long key) {
        return baseDelayMs + (int) Long.remainderUnsigned(Mix.hash(key ^ 0x5DEECE66DL), baseDelayMs + 1L);
    }

    /** One downstream call: connect, send the request, block in the read of the reply, fold it. */
    private long call(long key) throws IOException {
        ByteBuffer request = ByteBuffer.allocate(DelayServer.REQUEST_BYTES);
        request.putLong(key).putInt(delayMs(key)).putInt(REPLY_WORDS);
        byte[] reply = new byte[8 * REPLY_WORDS];
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(SOCKET_TIMEOUT_MS);
            s.connect(address, SOCKET_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(request.array());
            out.flush();
            InputStream in = s.getInputStream();
            int n = in.readNBytes(reply, 0, reply.length);
            if (n != reply.length) {
                throw new IOException("call " + key + ": reply of " + n + " bytes, expected " + reply.length);
            }
            // every byte read: an abortive close (RST) leaves no TIME_WAIT socket on either side
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            Throwable why = server.failure();
            if (why != null) {
                e.addSuppressed(why);
            }
            throw e;
        } finally {
            s.close();
        }
        return fold(key, reply);
    }

    /** Checks the reply against what the server must have sent and folds it into one value. */
    private static long fold(long key, byte[] reply) throws IOException {
        ByteBuffer words = ByteBuffer.wrap(reply);
        long h = key;
        for (int j = 0; j < REPLY_WORDS; j++) {
            long w = words.getLong();
            if (w != DelayServer.word(key, j)) {
                throw new IOException("call " + key + ": reply word " + j + " is " + w + ", expected "
                        + DelayServer.word(key, j));
            }
            for (int r = 0; r < FOLD_ROUNDS; r++) {
                h = Mix.work(h ^ w);
            }
        }
        return h;
    }
}
