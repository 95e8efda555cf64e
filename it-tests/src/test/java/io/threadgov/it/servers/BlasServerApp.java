package io.threadgov.it.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * A web server, unaware of the agent, whose every request runs one BLAS product on the server's own threads:
 * Tomcat embedded (its own executor), Jetty 12 (its default {@code QueuedThreadPool}) or Netty (on its event
 * loops). Outer parallelism the JDK does not pool: issue #21.
 *
 * <p>args: {@code tomcat|jetty|netty [nostdin]}. Binds 127.0.0.1 on a free port, prints {@code pool_class=},
 * {@code pool_size=} (the pool that runs requests, by its own getters) and then {@code PORT n}; answers
 * {@code GET /gemm?seed=S} with {@link Gemm#checksum} of S and {@code GET /stop} by stopping. It also stops when
 * its stdin ends (unless {@code nostdin}: a benchmark that starts it in the background stops it with /stop),
 * then prints {@code requests=} and {@link Gemm#printCounts()}.
 */
public final class BlasServerApp {

    private static final CountDownLatch STOP = new CountDownLatch(1);
    private static final AtomicLong REQUESTS = new AtomicLong();
    /** JUL loggers are weakly held: the quieted ones are kept here. */
    private static final Logger[] QUIET = {Logger.getLogger("org.apache"), Logger.getLogger("io.netty")};

    /** A started server. */
    static final class Running {
        final int port;
        /** The class of the pool that runs requests. */
        final String poolClass;
        /** Its size by its own getter: Tomcat's and Jetty's maximum threads, Netty's event loops. */
        final int poolSize;
        private final Stop stop;

        Running(int port, Object pool, int poolSize, Stop stop) {
            this.port = port;
            this.poolClass = pool.getClass().getName();
            this.poolSize = poolSize;
            this.stop = stop;
        }

        int port() {
            return port;
        }

        String poolClass() {
            return poolClass;
        }

        int poolSize() {
            return poolSize;
        }

        void stop() throws Exception {
            stop.run();
        }
    }

    /** How a server stops. */
    interface Stop {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        boolean watchStdin = !(args.length > 1 && args[1].equals("nostdin"));
        for (Logger l : QUIET) {
            l.setLevel(Level.SEVERE); // Tomcat's start-up and leak-check lines: the tests show stderr when they fail
        }
        Gemm.load();
        Running server;
        switch (kind) {
            case "tomcat":
                server = tomcat();
                break;
            case "jetty":
                server = jetty();
                break;
            case "netty":
                server = netty();
                break;
            default:
                throw new IllegalArgumentException("kind: tomcat, jetty or netty, not " + kind);
        }
        System.out.println("pool_class=" + server.poolClass());
        System.out.println("pool_size=" + server.poolSize());
        System.out.println("PORT " + server.port());
        System.out.flush();
        if (watchStdin) {
            Thread t = new Thread(BlasServerApp::untilStdinEnds, "stdin-watch");
            t.setDaemon(true);
            t.start();
        }
        STOP.await();
        server.stop();
        System.out.println("requests=" + REQUESTS.get());
        Gemm.printCounts();
    }

    private static void untilStdinEnds() {
        try {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            while (in.read(buf) >= 0) {
                // lines mean nothing: only the end does
            }
        } catch (IOException e) {
            // an unreadable stdin ends it too
        }
        STOP.countDown();
    }

    /** The status and body for a request of {@code path} and {@code query} (either may be null). */
    static Object[] answer(String path, String query) {
        if ("/gemm".equals(path)) {
            String seed = null;
            for (String kv : query == null ? new String[0] : query.split("&")) {
                if (kv.startsWith("seed=")) {
                    seed = kv.substring(5);
                }
            }
            if (seed == null) {
                return new Object[] {400, "no seed"};
            }
            REQUESTS.incrementAndGet();
            return new Object[] {200, Gemm.checksum(Long.parseLong(seed))};
        }
        if ("/stop".equals(path)) {
            STOP.countDown();
            return new Object[] {200, "stopping"};
        }
        return new Object[] {404, "no " + path};
    }

    // ---------------------------------------------------------------- Tomcat embedded

    static Running tomcat() throws Exception {
        Path base = Files.createTempDirectory("threadgov-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "gemm", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req,
                                 HttpServletResponse resp) throws IOException {
                Object[] a = answer(req.getRequestURI(), req.getQueryString());
                resp.setStatus((Integer) a[0]);
                resp.setContentType("text/plain; charset=utf-8");
                resp.getWriter().write((String) a[1]);
            }
        });
        ctx.addServletMappingDecoded("/*", "gemm");
        tomcat.start();
        Executor ex = connector.getProtocolHandler().getExecutor();
        return new Running(connector.getLocalPort(), ex,
                ex instanceof org.apache.tomcat.util.threads.ThreadPoolExecutor
                        ? ((org.apache.tomcat.util.threads.ThreadPoolExecutor) ex).getMaximumPoolSize() : -1, () -> {
                    tomcat.stop();
                    tomcat.destroy();
                    try (Stream<Path> files = Files.walk(base)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                });
    }

    // ---------------------------------------------------------------- Jetty 12

    static Running jetty() throws Exception {
        Server server = new Server(); // its default QueuedThreadPool
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response,
                                  Callback callback) {
                Object[] a = answer(request.getHttpURI().getPath(), request.getHttpURI().getQuery());
                response.setStatus((Integer) a[0]);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                Content.Sink.write(response, true, (String) a[1], callback);
                return true;
            }
        });
        server.start();
        ThreadPool pool = server.getThreadPool();
        return new Running(connector.getLocalPort(), pool, pool instanceof ThreadPool.SizedThreadPool
                ? ((ThreadPool.SizedThreadPool) pool).getMaxThreads() : -1, server::stop);
    }

    // ---------------------------------------------------------------- Netty

    static Running netty() throws Exception {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1,
                NioIoHandler.newFactory());
        MultiThreadIoEventLoopGroup workers = new MultiThreadIoEventLoopGroup(
                NioIoHandler.newFactory()); // Netty's default: 2 event loops per core
        Channel ch = new ServerBootstrap().group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new HttpServerCodec(),
                                new HttpObjectAggregator(65536), new NettyGemm());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return new Running(((InetSocketAddress) ch.localAddress()).getPort(), workers, workers.executorCount(), () -> {
            ch.close().sync();
            boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        });
    }

    /** Runs the product on the event loop that read the request, as a naive Netty handler does. */
    static final class NettyGemm
            extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx,
                                    FullHttpRequest req) {
            QueryStringDecoder d = new QueryStringDecoder(req.uri());
            String query = req.uri().indexOf('?') < 0 ? null : req.uri().substring(req.uri().indexOf('?') + 1);
            Object[] a = answer(d.path(), query);
            FullHttpResponse resp = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf((Integer) a[0]),
                    Unpooled.copiedBuffer((String) a[1], StandardCharsets.UTF_8));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            HttpUtil.setContentLength(resp, resp.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(resp, keepAlive);
            ChannelFuture f = ctx.writeAndFlush(resp);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
