package io.threadgov.it.reliability.apps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Executor behaviour checks in the style of the JDK's jsr166 TCK: lifecycle (shutdown, shutdownNow,
 * awaitTermination), invokeAll/invokeAny, scheduled tasks (fixed rate, fixed delay, cancellation),
 * every rejection policy, the hooks of a subclass, getters after quiescence, ForkJoinPool
 * invoke/fork/join/invokeAll/managedBlock, CompletableFuture on a pool. Every result is a line
 * {@code check.name=value} whose value does not depend on timing; values that reveal a pool's size are
 * printed under {@code size.} so a test can compare everything else with a run without the agent.
 *
 * <p>args[0]: {@code top} (pools created on the main thread) or {@code nested} (created inside a worker
 * of an outer fixed pool of 2, which the governor cuts to the worker's share).
 */
public final class ExecutorChecksApp {

    static final Map<String, String> OUT = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        boolean nested = args.length > 0 && args[0].equals("nested");
        OUT.put("avail", Integer.toString(Runtime.getRuntime().availableProcessors()));
        if (nested) {
            ExecutorService outer = Executors.newFixedThreadPool(2);
            outer.submit(() -> {
                checks();
                return null;
            }).get();
            outer.shutdown();
        } else {
            checks();
        }
        OUT.forEach((k, v) -> System.out.println(k + "=" + v));
    }

    static void put(String k, Object v) {
        synchronized (OUT) {
            OUT.put(k, String.valueOf(v));
        }
    }

    static void checks() throws Exception {
        shutdownLetsQueuedTasksFinish();
        shutdownNowReturnsUnstartedTasks();
        awaitTerminationTimesOutThenSucceeds();
        invokeAllAndInvokeAny();
        scheduledTasks();
        rejectionPolicies();
        subclassHooks();
        gettersAfterQuiescence();
        forkJoin();
        completableFutures();
        cancellationInterruptsARunningTask();
    }

    static void shutdownLetsQueuedTasksFinish() throws Exception {
        ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newFixedThreadPool(3);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            p.execute(() -> {
                await(gate);
                ran.incrementAndGet();
            });
        }
        p.shutdown();
        put("shutdown.isShutdown", p.isShutdown());
        put("shutdown.isTerminated.before", p.isTerminated());
        try {
            p.execute(() -> { });
            put("shutdown.rejectsNew", false);
        } catch (RejectedExecutionException e) {
            put("shutdown.rejectsNew", true);
        }
        gate.countDown();
        put("shutdown.awaitTermination", p.awaitTermination(30, TimeUnit.SECONDS));
        put("shutdown.isTerminated", p.isTerminated());
        put("shutdown.ran", ran.get());
        put("shutdown.completedTaskCount", p.getCompletedTaskCount());
        put("shutdown.taskCount", p.getTaskCount());
    }

    static void shutdownNowReturnsUnstartedTasks() throws Exception {
        ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        for (int i = 0; i < 6; i++) {
            p.execute(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
            });
        }
        started.await();
        List<Runnable> unstarted = p.shutdownNow();
        put("shutdownNow.isShutdown", p.isShutdown());
        put("shutdownNow.awaitTermination", p.awaitTermination(30, TimeUnit.SECONDS));
        put("shutdownNow.accounted", unstarted.size() + interrupted.get());
        put("size.shutdownNow.unstarted", unstarted.size());
    }

    static void awaitTerminationTimesOutThenSucceeds() throws Exception {
        ExecutorService p = Executors.newFixedThreadPool(2);
        CountDownLatch gate = new CountDownLatch(1);
        p.execute(() -> await(gate));
        p.shutdown();
        put("await.timesOut", !p.awaitTermination(20, TimeUnit.MILLISECONDS));
        gate.countDown();
        put("await.succeeds", p.awaitTermination(30, TimeUnit.SECONDS));
    }

    static void invokeAllAndInvokeAny() throws Exception {
        ExecutorService p = Executors.newFixedThreadPool(4);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            final int v = i;
            tasks.add(() -> v * v);
        }
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> f : p.invokeAll(tasks)) {
            results.add(f.get());
        }
        put("invokeAll.results", results);
        List<Callable<Integer>> withBlocker = new ArrayList<>(tasks.subList(0, 3));
        withBlocker.add(() -> {
            new CountDownLatch(1).await();
            return -1;
        });
        List<String> states = new ArrayList<>();
        for (Future<Integer> f : p.invokeAll(withBlocker, 2, TimeUnit.SECONDS)) {
            states.add(f.isCancelled() ? "cancelled" : "done:" + f.get());
        }
        put("invokeAll.timeout", states);
        List<Callable<String>> oneGood = List.of(() -> { throw new IllegalStateException("a"); }, () -> "good",
                () -> { throw new IllegalStateException("c"); });
        put("invokeAny.result", p.invokeAny(oneGood));
        try {
            p.invokeAny(List.<Callable<String>>of(() -> { throw new IllegalStateException("x"); }));
            put("invokeAny.allFail", "returned");
        } catch (ExecutionException e) {
            put("invokeAny.allFail", e.getCause().getClass().getSimpleName() + ":" + e.getCause().getMessage());
        }
        p.shutdown();
        put("invoke.terminated", p.awaitTermination(30, TimeUnit.SECONDS));
    }

    static void scheduledTasks() throws Exception {
        ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(2);
        p.setRemoveOnCancelPolicy(true);
        CountDownLatch rate = new CountDownLatch(5);
        ScheduledFuture<?> fixedRate = p.scheduleAtFixedRate(rate::countDown, 0, 2, TimeUnit.MILLISECONDS);
        CountDownLatch delay = new CountDownLatch(5);
        ScheduledFuture<?> fixedDelay = p.scheduleWithFixedDelay(delay::countDown, 0, 2, TimeUnit.MILLISECONDS);
        put("scheduled.fixedRate.reached5", rate.await(30, TimeUnit.SECONDS));
        put("scheduled.fixedDelay.reached5", delay.await(30, TimeUnit.SECONDS));
        put("scheduled.fixedRate.cancel", fixedRate.cancel(false));
        put("scheduled.fixedDelay.cancel", fixedDelay.cancel(false));
        put("scheduled.periodic.isCancelled", fixedRate.isCancelled() && fixedDelay.isCancelled());
        ScheduledFuture<String> later = p.schedule(() -> "later", 5, TimeUnit.MILLISECONDS);
        put("scheduled.callable", later.get(30, TimeUnit.SECONDS));
        ScheduledFuture<?> never = p.schedule(() -> { }, 1, TimeUnit.HOURS);
        put("scheduled.cancelDelayed", never.cancel(false));
        try {
            never.get();
            put("scheduled.cancelledGet", "returned");
        } catch (CancellationException e) {
            put("scheduled.cancelledGet", "CancellationException");
        }
        put("scheduled.queueAfterCancel", p.getQueue().size());
        ScheduledFuture<?> keep = p.schedule(() -> { }, 1, TimeUnit.HOURS);
        p.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        p.shutdown();
        put("scheduled.delayedDroppedAtShutdown", keep.isCancelled() || p.getQueue().isEmpty());
        put("scheduled.terminated", p.awaitTermination(30, TimeUnit.SECONDS));
        put("size.scheduled.core", p.getCorePoolSize());
    }

    static void rejectionPolicies() throws Exception {
        Map<String, RejectedExecutionHandler> policies = Map.of("abort", new ThreadPoolExecutor.AbortPolicy(),
                "callerRuns", new ThreadPoolExecutor.CallerRunsPolicy(), "discard", new ThreadPoolExecutor.DiscardPolicy(),
                "discardOldest", new ThreadPoolExecutor.DiscardOldestPolicy());
        for (String name : new TreeMap<>(policies).keySet()) {
            ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
                    policies.get(name));
            CountDownLatch gate = new CountDownLatch(1);
            Thread caller = Thread.currentThread();
            List<Integer> ran = new ArrayList<>();
            int thrown = 0;
            for (int i = 0; i < 4; i++) {
                final int id = i;
                try {
                    p.execute(() -> {
                        if (Thread.currentThread() != caller) {
                            await(gate);
                        }
                        synchronized (ran) {
                            ran.add(id);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    thrown++;
                }
            }
            gate.countDown();
            p.shutdown();
            p.awaitTermination(30, TimeUnit.SECONDS);
            List<Integer> sorted = new ArrayList<>(ran);
            sorted.sort(null);
            put("reject." + name + ".thrown", thrown);
            put("reject." + name + ".ran", sorted);
            put("reject." + name + ".completed", p.getCompletedTaskCount());
        }
        ThreadPoolExecutor q = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
        q.shutdown();
        try {
            q.execute(() -> { });
            put("reject.afterShutdown", "accepted");
        } catch (RejectedExecutionException e) {
            put("reject.afterShutdown", "RejectedExecutionException");
        }
    }

    static void subclassHooks() throws Exception {
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        AtomicInteger terminated = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(3, 3, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                before.incrementAndGet();
            }

            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                after.incrementAndGet();
                if (t != null) {
                    failures.incrementAndGet();
                }
            }

            @Override
            protected void terminated() {
                terminated.incrementAndGet();
            }
        };
        for (int i = 0; i < 8; i++) {
            final int id = i;
            p.execute(() -> {
                if (id == 3) {
                    throw new IllegalStateException("task 3 fails");
                }
            });
        }
        p.shutdown();
        put("hooks.terminated", p.awaitTermination(30, TimeUnit.SECONDS));
        put("hooks.counts", before.get() + "/" + after.get() + "/" + terminated.get() + "/" + failures.get());
        put("hooks.completed", p.getCompletedTaskCount());
    }

    static void gettersAfterQuiescence() throws Exception {
        ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newFixedThreadPool(3);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            fs.add(p.submit(() -> { }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        for (int i = 0; i < 30_000 && (p.getCompletedTaskCount() < 7 || p.getActiveCount() > 0); i++) {
            Thread.sleep(1);
        }
        put("getters.activeCount", p.getActiveCount());
        put("getters.completedTaskCount", p.getCompletedTaskCount());
        put("getters.taskCount", p.getTaskCount());
        put("getters.queue", p.getQueue().size());
        put("size.getters.poolSize", p.getPoolSize());
        put("size.getters.largestPoolSize", p.getLargestPoolSize());
        put("size.getters.corePoolSize", p.getCorePoolSize());
        put("size.getters.maximumPoolSize", p.getMaximumPoolSize());
        p.shutdown();
        put("getters.terminated", p.awaitTermination(30, TimeUnit.SECONDS));
        put("getters.poolSizeAfterTermination", p.getPoolSize());
    }

    static void forkJoin() throws Exception {
        ForkJoinPool p = new ForkJoinPool(4);
        put("fj.invoke", p.invoke(new Fib(20)));
        put("fj.submit", p.submit(() -> 6 * 7).get());
        long[] a = new long[10_000];
        p.invoke(new Fill(a, 0, a.length));
        put("fj.invokeAll", Arrays.stream(a).sum());
        CountDownLatch latch = new CountDownLatch(1);
        AtomicLong blocked = new AtomicLong();
        ForkJoinTask<?> waiter = p.submit(() -> {
            try {
                ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
                    @Override
                    public boolean block() throws InterruptedException {
                        latch.await();
                        return true;
                    }

                    @Override
                    public boolean isReleasable() {
                        return latch.getCount() == 0;
                    }
                });
                blocked.set(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ForkJoinTask<?> releaser = p.submit(latch::countDown); // needs a thread while the waiter is blocked
        releaser.get(60, TimeUnit.SECONDS);
        waiter.get(60, TimeUnit.SECONDS);
        put("fj.managedBlock", blocked.get());
        put("fj.quiescent", p.awaitQuiescence(30, TimeUnit.SECONDS));
        put("size.fj.parallelism", p.getParallelism());
        p.shutdown();
        put("fj.terminated", p.awaitTermination(30, TimeUnit.SECONDS));
        ForkJoinPool q = new ForkJoinPool(2);
        ForkJoinTask<Integer> failing = q.submit(() -> {
            throw new IllegalArgumentException("boom");
        });
        try {
            failing.join();
            put("fj.exception", "none");
        } catch (IllegalArgumentException e) {
            put("fj.exception", e.getMessage());
        }
        put("fj.isCompletedAbnormally", failing.isCompletedAbnormally());
        q.shutdownNow();
        put("fj.shutdownNow.terminated", q.awaitTermination(30, TimeUnit.SECONDS));
    }

    static void completableFutures() throws Exception {
        ExecutorService p = Executors.newFixedThreadPool(3);
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> 20, p);
        CompletableFuture<Integer> b = a.thenApplyAsync(x -> x + 1, p).thenCombineAsync(
                CompletableFuture.supplyAsync(() -> 2, p), (x, y) -> x * y, p);
        put("cf.result", b.get(30, TimeUnit.SECONDS));
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            final int v = i;
            all.add(CompletableFuture.supplyAsync(() -> v, p));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        put("cf.allOf", all.stream().mapToInt(CompletableFuture::join).sum());
        p.shutdown();
        put("cf.terminated", p.awaitTermination(30, TimeUnit.SECONDS));
    }

    static void cancellationInterruptsARunningTask() throws Exception {
        ExecutorService p = Executors.newFixedThreadPool(2);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<?> f = p.submit(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        running.await();
        put("cancel.result", f.cancel(true));
        put("cancel.isCancelled", f.isCancelled());
        put("cancel.isDone", f.isDone());
        put("cancel.interrupted", interrupted.await(30, TimeUnit.SECONDS));
        p.shutdown();
        put("cancel.terminated", p.awaitTermination(30, TimeUnit.SECONDS));
    }

    static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class Fib extends RecursiveTask<Integer> {
        final int n;

        Fib(int n) {
            this.n = n;
        }

        @Override
        protected Integer compute() {
            if (n < 2) {
                return n;
            }
            Fib f1 = new Fib(n - 1);
            f1.fork();
            return new Fib(n - 2).compute() + f1.join();
        }
    }

    static final class Fill extends RecursiveAction {
        final long[] a;
        final int lo;
        final int hi;

        Fill(long[] a, int lo, int hi) {
            this.a = a;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo < 500) {
                for (int i = lo; i < hi; i++) {
                    a[i] = i;
                }
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Fill(a, lo, mid), new Fill(a, mid, hi));
        }
    }
}
