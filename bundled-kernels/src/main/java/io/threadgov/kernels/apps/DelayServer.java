package io.threadgov.kernels.apps;

import io.threadgov.kernels.Mix;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Comparator;
import java.util.Iterator;
import java.util.PriorityQueue;

/**
 * The "downstream service" of {@link IoFanout}: a server on 127.0.0.1 (ephemeral port) in the same JVM that
 * answers each request after the delay the request asks for. One plain {@code new Thread} (no JDK pool, so
 * nothing an agent governs) runs a selector: it accepts, reads each 16-byte request (call key, delay in ms,
 * reply length in 8-byte words), and once the delay has passed writes the reply: word j is
 * {@link #word(long, int) word(key, j)}. A connection carries one call; the client closes it after reading
 * the reply (with an abortive close, so that neither side keeps a TIME_WAIT socket and tens of thousands of
 * calls per run cannot run out of ephemeral ports); the server then reads end-of-stream or a reset and closes
 * its side.
 */
final class DelayServer implements AutoCloseable {
    /** Request: key (long), delay ms (int), reply words (int). */
    static final int REQUEST_BYTES = 16;
    /** Largest reply the server writes, in words. */
    static final int MAX_REPLY_WORDS = 1 << 16;

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Thread thread;
    private final PriorityQueue<Pending> due = new PriorityQueue<>(
            Comparator.comparingLong(Pending::deadline).thenComparingLong(Pending::seq));
    private volatile boolean stopped;
    private volatile Throwable failure;
    private long seq;

    private DelayServer() throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 4096);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::loop, "io-fanout-server");
        thread.setDaemon(true);
    }

    /** A started server. */
    static DelayServer start() throws IOException {
        DelayServer s = new DelayServer();
        s.thread.start();
        return s;
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    /** The reply's word j to the call {@code key}. */
    static long word(long key, int j) {
        return Mix.hash(key * 0x632BE59BD9B4E019L + j);
    }

    /** Why the server stopped on its own, or null. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        selector.wakeup();
        thread.join(10_000);
    }

    private record Pending(long deadline, long seq, SelectionKey key) {
    }

    /** Per connection: the request being read, then the reply being written. */
    private static final class Conn {
        final ByteBuffer request = ByteBuffer.allocate(REQUEST_BYTES);
        ByteBuffer reply;
    }

    private void loop() {
        ByteBuffer drain = ByteBuffer.allocate(256);
        try {
            while (!stopped) {
                long now = System.nanoTime();
                while (!due.isEmpty() && due.peek().deadline() <= now) {
                    startReply(due.poll().key());
                }
                if (due.isEmpty()) {
                    selector.select();
                } else {
                    // round up: a reply is never early
                    long waitNs = due.peek().deadline() - now;
                    selector.select(Math.max(1, (waitNs + 999_999) / 1_000_000));
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    try {
                        if (!k.isValid()) {
                            continue;
                        }
                        if (k.isAcceptable()) {
                            accept();
                            continue;
                        }
                        if (k.isWritable()) {
                            write(k);
                        }
                        if (k.isValid() && k.isReadable()) {
                            read(k, drain);
                        }
                    } catch (IOException e) {
                        closeQuietly(k);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            for (SelectionKey k : selector.keys()) {
                closeQuietly(k);
            }
            try {
                selector.close();
                listener.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ, new Conn());
        }
    }

    private void read(SelectionKey k, ByteBuffer drain) throws IOException {
        Conn c = (Conn) k.attachment();
        SocketChannel ch = (SocketChannel) k.channel();
        if (c.request.hasRemaining()) {
            if (ch.read(c.request) < 0) {
                closeQuietly(k);
                return;
            }
            if (!c.request.hasRemaining()) {
                c.request.flip();
                c.request.getLong();
                int delayMs = c.request.getInt();
                int words = c.request.getInt();
                if (delayMs < 0 || words < 0 || words > MAX_REPLY_WORDS) {
                    closeQuietly(k);
                    return;
                }
                due.add(new Pending(System.nanoTime() + delayMs * 1_000_000L, seq++, k));
            }
            return;
        }
        // after the request: only the client's close (end of stream or a reset) is expected
        drain.clear();
        if (ch.read(drain) < 0) {
            closeQuietly(k);
        }
    }

    private void startReply(SelectionKey k) {
        if (!k.isValid()) {
            return; // the client went away
        }
        Conn c = (Conn) k.attachment();
        long key = c.request.getLong(0);
        int words = c.request.getInt(12);
        ByteBuffer reply = ByteBuffer.allocate(8 * words);
        for (int j = 0; j < words; j++) {
            reply.putLong(word(key, j));
        }
        reply.flip();
        c.reply = reply;
        try {
            write(k);
        } catch (IOException e) {
            closeQuietly(k);
        }
    }

    private void write(SelectionKey k) throws IOException {
        Conn c = (Conn) k.attachment();
        if (c.reply == null) {
            return;
        }
        ((SocketChannel) k.channel()).write(c.reply);
        k.interestOps(c.reply.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private static void closeQuietly(SelectionKey k) {
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
