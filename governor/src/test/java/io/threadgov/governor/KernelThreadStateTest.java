package io.threadgov.governor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A thread's state from Linux's /proc: the real files where they exist, and the parsing of a line. */
class KernelThreadStateTest {

    @Test
    void theStateIsTheFieldAfterTheLastParenthesis() {
        assertEquals(KernelThreadState.RUNNABLE, KernelThreadState.parse("12953 (cat) R 12951 12951"));
        assertEquals(KernelThreadState.NOT_RUNNABLE, KernelThreadState.parse("7 (a (b) c) S 1 1"));
        assertEquals(KernelThreadState.NOT_RUNNABLE, KernelThreadState.parse("7 (x) D 1"));
        assertEquals(KernelThreadState.UNKNOWN, KernelThreadState.parse("7 (x)"));
        assertEquals(KernelThreadState.UNKNOWN, KernelThreadState.parse(""));
    }

    @Test
    void aThreadThatComputesIsRunnableAndOneThatSleepsIsNot() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "Linux /proc");
        assertEquals(KernelThreadState.RUNNABLE, KernelThreadState.of(KernelThreadState.currentTid()), "this thread runs");
        AtomicInteger tid = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread sleeper = new Thread(() -> {
            tid.set(KernelThreadState.currentTid());
            ready.countDown();
            try {
                done.await(); // parked: not runnable to the OS
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sleeper.setDaemon(true);
        sleeper.start();
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        assertTrue(tid.get() > 0, "tid " + tid.get());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sleeper.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < end, "the thread never parked");
            Thread.sleep(1);
        }
        Thread.sleep(20); // parked in the JVM's view: give the kernel's view the moment it needs
        assertEquals(KernelThreadState.NOT_RUNNABLE, KernelThreadState.of(tid.get()), "a parked thread sleeps");
        done.countDown();
        sleeper.join(10_000);
        // the OS thread outlives its Java thread for a moment
        while (KernelThreadState.of(tid.get()) != KernelThreadState.UNKNOWN) {
            assertTrue(System.nanoTime() < end, "an ended thread must be unknown");
            Thread.sleep(1);
        }
    }
}
