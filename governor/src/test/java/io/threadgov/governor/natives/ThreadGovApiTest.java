package io.threadgov.governor.natives;

import com.sun.jna.NativeLibrary;
import io.threadgov.Limit;
import io.threadgov.ThreadGov;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.threadgov.governor.natives.Natives.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The public API without an agent: discovery on first use, per-thread limits on OpenMP. */
class ThreadGovApiTest {

    @Test
    void limitActsOnTheCallingThreadAndRestores() throws Exception {
        assumeTrue(exists(GOMP));
        System.load(real(GOMP));
        NativeLibrary gomp = load(GOMP);
        int def = callInt(gomp, "omp_get_max_threads");
        List<Map<String, Object>> recs = ThreadGov.nativeRuntimes();
        assertTrue(recs.stream().anyMatch(r -> "libgomp".equals(r.get("prefix")) && "thread".equals(r.get("scope"))),
                recs.toString());
        assertEquals(def, callInt(gomp, "omp_get_max_threads"), "discovery without an agent changes nothing");

        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger other = new AtomicInteger();
        Thread t = new Thread(() -> {
            try {
                inside.await();
                other.set(callInt(gomp, "omp_get_max_threads"));
                done.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        try (Limit l = ThreadGov.limit(1, "openmp")) {
            assertEquals(1, callInt(gomp, "omp_get_max_threads"));
            try (Limit nested = ThreadGov.limit(1, "openmp")) {
                assertSame(Limit.NONE, nested, "no change, no native call");
            }
            inside.countDown();
            done.await();
            assertEquals(1, callInt(gomp, "omp_get_max_threads"));
        }
        t.join();
        assertEquals(def, other.get(), "another thread is not limited");
        assertEquals(def, callInt(gomp, "omp_get_max_threads"), "restored on close");
        assertSame(Limit.NONE, ThreadGov.limit(1, "mkl"));
        assertThrows(IllegalArgumentException.class, () -> ThreadGov.limit(0));
    }
}
