package io.threadgov.governor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GemmBlocksTest {

    @Test
    void planCutsLargeProductsIntoEvenBlocksOfWholeTiles() {
        assertEquals(256, GemmBlocks.plan(736, 736, 736), "736 rows: 256 + 256 + 224");
        assertEquals(224, GemmBlocks.plan(1024, 1024, 1024), "1024: five blocks of at least 192 rows");
        assertEquals(256, GemmBlocks.plan(480, 480, 480), "480: two blocks");
        assertEquals(0, GemmBlocks.plan(256, 256, 256), "too few rows for two blocks of 192");
        assertEquals(0, GemmBlocks.plan(383, 4096, 4096), "two blocks need 384 rows");
        assertEquals(0, GemmBlocks.plan(1024, 64, 64), "too little work per block: each call would cost more than it gains");
        assertEquals(0, GemmBlocks.plan(0, 736, 736));
        assertEquals(0, GemmBlocks.plan(736, 0, 736));
        assertEquals(0, GemmBlocks.plan(1024, 777, 1024), "the dimension not cut is no multiple of 32: the bits could change");
        assertEquals(224, GemmBlocks.plan(777, 640, 700), "the cut one may be anything");
        int rows = GemmBlocks.plan(100_000, 1024, 1024);
        assertTrue(rows > 0 && (100_000 + rows - 1) / rows <= GemmBlocks.MAX_BLOCKS, "at most " + GemmBlocks.MAX_BLOCKS + " blocks: " + rows);
        for (int m = 384; m <= 4096; m += 7) {
            int r = GemmBlocks.plan(m, 1024, 1024);
            assertTrue(r == 0 || (r % GemmBlocks.LINE_QUANTUM == 0 && r >= GemmBlocks.MIN_LINES && r < m), m + " -> " + r);
        }
    }

    @Test
    void onlyProductsStartedBelowTheBudgetOfAProcessWideRuntimeAreCut() throws Exception {
        Governor g = new Governor(Config.parse("cores=2,admission=off,gemm_blocks=on", new Properties(), 2));
        GemmBlocks blocks = g.gemmBlocks();
        assertEquals(0, blocks.blockSize(736, 736, 736), "no process-wide runtime: nothing to gain");
        g.natives(new ProcessWide());
        assertEquals(0, blocks.blockSize(736, 736, 736), "nothing busy: the call runs at the budget");

        ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        PoolDecision d = g.decideThreadPool(8, 8, Integer.MAX_VALUE);
        g.register(pool, d);
        TestWorker w1 = new TestWorker(g, pool);
        TestWorker w2 = new TestWorker(g, pool);
        w1.start();
        w2.start();
        assertEquals(1, blocks.countNow(), "two busy workers of a pool of 8 on 2 cores: 1 thread each");
        assertEquals(256, blocks.blockSize(736, 736, 736), "started below the budget: cut");
        w2.idle();
        assertEquals(2, blocks.countNow(), "a sibling went idle with nothing queued: the last busy worker gets the budget");
        assertEquals(0, blocks.blockSize(736, 736, 736));
        w2.task();
        assertEquals(1, blocks.countNow(), "work again: back to the share");

        Governor off = new Governor(Config.parse("cores=2,admission=off,gemm_blocks=off", new Properties(), 2));
        off.natives(new ProcessWide());
        off.register(pool, off.decideThreadPool(8, 8, Integer.MAX_VALUE));
        new TestWorker(off, pool).start();
        new TestWorker(off, pool).start();
        assertEquals(1, off.gemmBlocks().countNow());
        assertEquals(0, off.gemmBlocks().blockSize(736, 736, 736), "gemm_blocks=off");
        pool.shutdown();
    }

    @Test
    void productsThatStartAboveOneThreadRunWhole() throws Exception {
        Governor g = new Governor(Config.parse("cores=4,admission=off,gemm_blocks=on", new Properties(), 4));
        g.natives(new ProcessWide());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        g.register(pool, g.decideThreadPool(8, 8, Integer.MAX_VALUE));
        TestWorker w1 = new TestWorker(g, pool);
        TestWorker w2 = new TestWorker(g, pool);
        TestWorker w3 = new TestWorker(g, pool);
        w1.start();
        w2.start();
        w3.start();
        assertEquals(1, g.gemmBlocks().countNow(), "three busy workers of a pool of 8 on 4 cores");
        assertEquals(256, g.gemmBlocks().blockSize(736, 736, 736), "started at 1 thread, below the budget: cut");
        w3.idle();
        assertEquals(2, g.gemmBlocks().countNow(), "the tail of the batch: 4 cores for 2 busy workers");
        assertEquals(0, g.gemmBlocks().blockSize(736, 736, 736),
                "started at 2 threads: blocks at more than one thread may change the bits");
        pool.shutdown();
    }

    @Test
    void countersReportWhatRan() {
        Governor g = new Governor(Config.parse("cores=2,gemm_blocks=on", new Properties(), 2));
        g.gemmBlocks().ran(3, 1);
        g.gemmBlocks().ran(5, 0);
        Map<String, Object> m = g.gemmBlocks().counters();
        assertEquals(true, m.get("enabled"));
        assertEquals(2L, m.get("calls"));
        assertEquals(8L, m.get("blocks"));
        assertEquals(1L, m.get("raised"));
        assertEquals(m, g.report().get("gemm_blocks"));
    }

    /** A native layer with a process-wide runtime: the busy workers are counted. */
    private static final class ProcessWide implements NativeControl {
        @Override public boolean needsBusyCount() { return true; }
    }
}
