package io.threadgov.it.servers;

/**
 * The benchmark's load generator, in a JVM of its own: {@link Load} on a {@link BlasServerApp}.
 *
 * <p>args: {@code PORT REQUESTS CLIENTS [stop]}; prints {@code elapsed_ms=} (first request to last answer) and
 * {@code digest=} (of every answer, in seed order); {@code stop}: then asks the server to stop.
 */
public final class LoadApp {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int requests = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        boolean stop = args.length > 3 && args[3].equals("stop");
        try {
            Load.Answers a = Load.run(port, requests, clients, 0);
            System.out.println("requests=" + a.answers.size());
            System.out.println("elapsed_ms=" + a.elapsedMs);
            System.out.println("digest=" + a.digest());
        } finally {
            if (stop) {
                Load.stop(port);
            }
        }
    }
}
