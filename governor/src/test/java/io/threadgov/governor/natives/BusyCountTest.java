package io.threadgov.governor.natives;

import io.threadgov.governor.Governor;
import io.threadgov.governor.NativeControl;
import io.threadgov.governor.PoolDecision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The busy-worker count that drives process-wide runtimes stays right when the native layer arrives
 * while a worker is inside a task: with native governing on, workers are counted from the start, so the
 * worker already busy is seen going idle and busy again.
 */
class BusyCountTest {

    @Test
    void aWorkerBusyBeforeCountingStartedIsNotUncounted() throws Exception {
        Governor g = Natives.governor("cores=2");
        Object pool = new Object();
        PoolDecision d = g.decideThreadPool(8, 8, Integer.MAX_VALUE);
        g.register(pool, d);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        NativeControl processWide = new NativeControl() {
            @Override public void busyWorkersChanged(int busy, int budget) { seen.add(busy); }
            @Override public boolean needsBusyCount() { return true; }
        };
        AtomicReference<Integer> after = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            g.workerStart(pool);          // busy and counted, though no native layer yet
            g.natives(processWide);       // the native layer arrives mid-task
            g.taskIdle();                 // the count it sees goes to 0
            g.taskStart();
            after.set(g.busyWorkers());
            g.workerEnd();
        });
        worker.start();
        worker.join();
        assertEquals(1, after.get());
        assertEquals(List.of(0, 1, 0), seen);
        assertEquals(0, g.busyWorkers());
    }
}
