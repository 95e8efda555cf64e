package io.threadgov.it.reliability.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Random ThreadPoolExecutor configurations (core, max, queue kind and capacity, rejection handler,
 * submission method, shutdown timing), each built inside a worker of an outer pool so that the governor
 * decides on it (and cuts the fixed ones with unbounded queues), and the fate of every task counted.
 *
 * <p>Counts are deterministic by construction, with or without the agent: every task submitted to the
 * pool blocks on a gate that opens only after all submissions, so at each submission the pool's state
 * (threads started, queue contents) depends only on the submissions before it, never on timing. Tasks
 * that run on the submitting thread (CallerRunsPolicy) do not wait on the gate. A line per configuration:
 * {@code cN <config> -> thrown callerRan ran interrupted discarded completed} (for shutdownNow, where a
 * cut pool returns more unstarted tasks by design: {@code thrown callerRan accounted discarded}, accounted =
 * ran + interrupted + returned by shutdownNow).
 *
 * <p>Arguments: seed, number of configurations.
 */
public final class RejectionPropertyApp {

    static final String[] QUEUES = {"lbq", "lbq-bounded", "abq", "sync", "pbq"};
    static final String[] HANDLERS = {"abort", "callerRuns", "discard", "discardOldest"};
    static final String[] SHUTDOWNS = {"after", "midway", "now"};

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        ExecutorService outer = Executors.newFixedThreadPool(2);
        List<Future<String>> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int id = i;
            lines.add(outer.submit(() -> run(id, new Random(seed * 1_000_003L + id))));
        }
        long digest = 17;
        for (int i = 0; i < count; i++) {
            String l = lines.get(i).get();
            System.out.println("c" + i + " " + l);
            digest = digest * 31 + l.hashCode();
        }
        outer.shutdown();
        System.out.println("digest=" + digest);
    }

    static String run(int id, Random rnd) throws Exception {
        String queueKind = QUEUES[rnd.nextInt(QUEUES.length)];
        boolean unbounded = queueKind.equals("lbq") || queueKind.equals("pbq");
        int core = rnd.nextInt(5);
        int max = unbounded && rnd.nextInt(3) > 0 ? Math.max(1, core) : Math.max(1, core + rnd.nextInt(4));
        if (unbounded && core == max && rnd.nextBoolean()) {
            core = max = 2 + rnd.nextInt(5); // fixed pools the governor cuts
        }
        if (!unbounded && !queueKind.equals("sync") && core == 0) {
            // a core-0 pool with a bounded queue starts a worker without a first task, which may or may not
            // have taken a queued task by the next submission: its rejections depend on timing, agent or not
            core = 1;
            max = Math.max(max, 1);
        }
        int capacity = 1 + rnd.nextInt(4);
        String handlerKind = HANDLERS[rnd.nextInt(HANDLERS.length)];
        if (handlerKind.equals("discardOldest") && queueKind.equals("sync")) {
            handlerKind = "discard"; // the JDK's DiscardOldestPolicy recurses without end on a SynchronousQueue
        }
        String shutdown = SHUTDOWNS[rnd.nextInt(SHUTDOWNS.length)];
        boolean submit = !queueKind.equals("pbq") && rnd.nextBoolean(); // a FutureTask is not Comparable
        int n = rnd.nextInt(16);
        int shutdownAt = rnd.nextInt(n + 1);

        BlockingQueue<Runnable> queue;
        switch (queueKind) {
            case "lbq": queue = new LinkedBlockingQueue<>(); break;
            case "lbq-bounded": queue = new LinkedBlockingQueue<>(capacity); break;
            case "abq": queue = new ArrayBlockingQueue<>(capacity); break;
            case "sync": queue = new SynchronousQueue<>(); break;
            default: queue = new PriorityBlockingQueue<>(); break;
        }
        RejectedExecutionHandler handler;
        switch (handlerKind) {
            case "abort": handler = new ThreadPoolExecutor.AbortPolicy(); break;
            case "callerRuns": handler = new ThreadPoolExecutor.CallerRunsPolicy(); break;
            case "discard": handler = new ThreadPoolExecutor.DiscardPolicy(); break;
            default: handler = new ThreadPoolExecutor.DiscardOldestPolicy(); break;
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(core, max, 60, TimeUnit.SECONDS, queue, handler);
        String config = queueKind + (queueKind.contains("bounded") || queueKind.equals("abq") ? "(" + capacity + ")" : "")
                + " core=" + core + " max=" + max + " " + handlerKind + " " + (submit ? "submit" : "execute")
                + " n=" + n + " shutdown=" + shutdown + (shutdown.equals("midway") ? "@" + shutdownAt : "");

        Counters c = new Counters(Thread.currentThread());
        int thrown = 0;
        int returned = 0;
        for (int k = 0; k < n; k++) {
            if (shutdown.equals("midway") && k == shutdownAt) {
                pool.shutdown();
            }
            Task t = new Task(k, c);
            try {
                if (submit) {
                    pool.submit(t);
                } else {
                    pool.execute(t);
                }
            } catch (RejectedExecutionException e) {
                thrown++;
            }
        }
        if (shutdown.equals("now")) {
            returned = pool.shutdownNow().size();
        }
        c.gate.countDown();
        pool.shutdown();
        if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
            return config + " -> DID NOT TERMINATE";
        }
        int ran = c.ran.get();
        int interrupted = c.interrupted.get();
        int callerRan = c.callerRan.get();
        int discarded = n - thrown - callerRan - ran - interrupted - returned;
        if (shutdown.equals("now")) {
            return config + " -> thrown=" + thrown + " callerRan=" + callerRan + " accounted=" + (ran + interrupted + returned)
                    + " discarded=" + discarded;
        }
        return config + " -> thrown=" + thrown + " callerRan=" + callerRan + " ran=" + ran + " interrupted=" + interrupted
                + " discarded=" + discarded + " completed=" + pool.getCompletedTaskCount();
    }

    static final class Counters {
        final Thread submitter;
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger ran = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();
        final AtomicInteger callerRan = new AtomicInteger();

        Counters(Thread submitter) {
            this.submitter = submitter;
        }
    }

    static final class Task implements Runnable, Comparable<Task> {
        final int seq;
        final Counters c;

        Task(int seq, Counters c) {
            this.seq = seq;
            this.c = c;
        }

        @Override
        public void run() {
            if (Thread.currentThread() == c.submitter) {
                c.callerRan.incrementAndGet();
                return;
            }
            try {
                c.gate.await();
                c.ran.incrementAndGet();
            } catch (InterruptedException e) {
                c.interrupted.incrementAndGet();
            }
        }

        @Override
        public int compareTo(Task o) {
            return Integer.compare(seq, o.seq);
        }
    }
}
