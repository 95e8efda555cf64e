package io.threadgov.governor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.ToIntFunction;

/** A governed worker thread for the governor's tests, driven a step at a time (the governor's state is per thread). */
final class TestWorker {
    private final Governor g;
    private final Object pool;
    private final LinkedBlockingQueue<ToIntFunction<Governor>> steps = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Integer> done = new LinkedBlockingQueue<>();
    private final Thread thread;

    TestWorker(Governor g, Object pool) {
        this.g = g;
        this.pool = pool;
        Thread t = new Thread(this::loop, "test-worker");
        t.setDaemon(true);
        t.start();
        this.thread = t;
    }

    void start() throws InterruptedException {
        run(gov -> {
            gov.workerStart(pool);
            return 0;
        });
    }

    void idle() throws InterruptedException {
        run(gov -> {
            gov.taskIdle();
            return 0;
        });
    }

    void task() throws InterruptedException {
        run(gov -> {
            gov.taskStart();
            return 0;
        });
    }

    /** Returns once this worker is parked waiting for its next step (a step's answer comes before it parks). */
    void awaitParked() throws InterruptedException {
        while (thread.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
    }

    int enterNative() throws InterruptedException {
        return run(Governor::nativeEnter);
    }

    private int run(ToIntFunction<Governor> step) throws InterruptedException {
        steps.put(step);
        Integer r = done.take();
        assertTrue(r != Integer.MIN_VALUE, "the step threw");
        return r;
    }

    private void loop() {
        try {
            for (;;) {
                ToIntFunction<Governor> s = steps.take();
                int r;
                try {
                    r = s.applyAsInt(g);
                } catch (RuntimeException e) {
                    r = Integer.MIN_VALUE;
                }
                done.put(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
