package io.threadgov.governor.natives;

import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import org.junit.jupiter.api.Test;

import static io.threadgov.governor.natives.Natives.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A broken JNA stage is one counted failure and nothing else; native=off touches nothing. */
class NativeSurvivalTest {

    @Test
    void brokenJnaIsOneFailureAndTheAppRunsOn() {
        assumeTrue(exists(GOMP));
        System.load(real(GOMP));      // a plain JNI-style load: no JNA involved
        Governor g = governor("cores=2,fault=jna");
        NativeGovernor ng = new NativeGovernor(g);
        g.natives(ng);
        ng.libraryLoaded("start");
        ng.libraryLoaded("again");
        ng.applyToCurrentThread(1);
        ng.busyWorkersChanged(3, 2);
        assertTrue(ng.records().isEmpty());
        assertEquals(1L, Log.failures().get("native jna"), Log.failures().toString());
        assertFalse(ng.needsBusyCount());
    }

    @Test
    void offDiscoversAndChangesNothing() throws Exception {
        assumeTrue(exists(GOMP));
        System.load(real(GOMP));
        Governor g = governor("cores=1,native=off");
        NativeGovernor ng = new NativeGovernor(g);
        assertFalse(ng.enabled());
        ng.libraryLoaded("start");
        ng.applyToCurrentThread(1);
        assertTrue(ng.records().isEmpty());
        assertSame(NativeGovernor.NO_LIMIT, ng.limit(1));
        // the runtime is there and untouched: a governing instance sees the default
        NativeGovernor on = new NativeGovernor(governor("cores=2,mode=observe"));
        on.libraryLoaded("start");
        assertEquals(Runtime.getRuntime().availableProcessors(), on.records().get(0).get("num_threads"));
    }
}
