package io.threadgov.governor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides whether a matrix product of a process-wide BLAS runs as one call or as blocks of C, so that a
 * thread count raised while it runs takes effect within it ({@code threadgov.gemm_blocks=on}; off by default).
 *
 * <p>The agent calls {@link #blockSize} at the entry of JavaCPP's {@code cblas_dgemm} ({@code cblas_sgemm} is not wrapped)
 * and, when it returns a positive number, makes one call per block of that many lines of C (the last block
 * shorter), then reports through {@link #ran}. The lines are those of OpenBLAS's own N dimension (rows of
 * C in row-major order, columns in column-major order): every element of C is then computed by one block
 * from the same inputs in the same order, and the result is bitwise the one call's.
 */
public final class GemmBlocks {

    /*
     * Why. A process-wide OpenBLAS reads its thread count once, at the entry of each call. The governor
     * lowers the count while several governed workers are busy and raises it back to the budget when they
     * go idle (SharePolicy.processWideThreads), but a long call that started at 1 thread keeps 1 thread to
     * its end, even when every other core falls idle a moment after it started: the tail of an unbalanced
     * pool, whose last large product runs on one core of B. Cut into blocks, each block enters OpenBLAS
     * again and runs at the count of its own moment.
     *
     * Same bits. A block computes each of its elements as the one call does (same inputs, same order over
     * k) when the blocks cut OpenBLAS's N dimension into whole tiles and its M dimension is a multiple of 32
     * (plan); other shapes run whole (BENCHMARKS.md, History, 2026-12-02 895298a..090a5f3, "gemm blocks": a
     * grid of shapes, 1 and 2 threads).
     *
     * When. Only while the count now is 1 and the budget more (a call at the budget can gain nothing; blocks
     * that start at 2 threads or more gave other bits than the one call on an AMD EPYC, where the split of
     * the cut dimension between OpenBLAS's threads differs: BENCHMARKS.md, History, 2026-12-02
     * 5b4657b..cd8187b, "Same bits on an AMD EPYC"), only when a governed runtime is process-wide
     * (needsBusyCount), and only for calls large enough that every block still does at least MIN_BLOCK_WORK
     * multiply-adds over at least MIN_LINES lines: each extra call repacks the shared operand, a few % of a
     * block of that size (BENCHMARKS.md, History, 2026-12-02 895298a..090a5f3, "gemm blocks": what blocks
     * cost). Calls from any thread qualify: a worker at its share, or a thread outside pools while workers
     * are busy.
     *
     * Concurrency. Stateless apart from the counters (LongAdders, read racily for the report); the count
     * read is the governor's atomic busy word (processWideThreads), the same value busy transitions apply.
     */

    /** Fewest lines of C in one block. */
    static final int MIN_LINES = 192;
    /** Fewest multiply-adds (lines x other x k) in one block: about 1 ms at one core of 2026. */
    static final long MIN_BLOCK_WORK = 1L << 25;
    /** Most blocks of one call. */
    static final int MAX_BLOCKS = 16;
    /** Lines of a block, and the lines of the dimension not cut, are multiples of this (see plan). */
    static final int LINE_QUANTUM = 32;

    private final Governor governor;
    private final LongAdder calls = new LongAdder();
    private final LongAdder blocks = new LongAdder();
    private final LongAdder raised = new LongAdder();

    GemmBlocks(Governor governor) {
        this.governor = governor;
    }

    /**
     * Lines of C per block when C's {@code cut} lines of {@code other} elements each, over an inner
     * dimension {@code k}, are to be cut; 0: one call. Throws only the test-only {@code fault=gemm-call}.
     */
    public int blockSize(int cut, int other, int k) {
        if ("gemm-call".equals(governor.config().fault())) {
            throw new IllegalStateException("injected fault in stage 'gemm-call'");
        }
        if (!governor.config().gemmBlocks() || !governor.natives().needsBusyCount()
                || governor.processWideThreads() != 1 || governor.budget() < 2) {
            return 0;
        }
        return plan(cut, other, k);
    }

    /** The thread count a block entering the BLAS now runs at (the governor's process-wide value). */
    public int countNow() {
        return governor.processWideThreads();
    }

    /** One call ran as {@code blockCount} blocks, {@code raisedCount} of them at a higher count than the first. */
    public void ran(int blockCount, int raisedCount) {
        calls.increment();
        blocks.add(blockCount);
        raised.add(raisedCount);
    }

    /** The report's {@code gemm_blocks} object. */
    public Map<String, Object> counters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", governor.config().gemmBlocks());
        m.put("calls", calls.sum());
        m.put("blocks", blocks.sum());
        m.put("raised", raised.sum());
        return m;
    }

    /**
     * Lines per block for {@code m} lines of {@code n} over {@code k}, regardless of the count: the fewest
     * lines that keep each block at {@link #MIN_LINES} and {@link #MIN_BLOCK_WORK}, spread evenly, rounded up
     * to {@link #LINE_QUANTUM}; 0 when fewer than two blocks would result, or when {@code n} (OpenBLAS's own
     * M, shared by every block) is not a multiple of {@link #LINE_QUANTUM}: then the bits of C depend on where
     * OpenBLAS's threads and blocks start (on 0.3.28, at 2 threads, blocks of N gave the one call's last bits
     * only when M was a multiple of 32: BENCHMARKS.md, History, 2026-12-02 895298a..090a5f3, "Same bits").
     */
    static int plan(long m, long n, long k) {
        if (m <= 0 || n <= 0 || k <= 0 || n % LINE_QUANTUM != 0) {
            return 0;
        }
        long byWork = (MIN_BLOCK_WORK + n * k - 1) / (n * k);
        long minLines = Math.max(MIN_LINES, byWork);
        long count = Math.min(MAX_BLOCKS, m / minLines);
        if (count < 2) {
            return 0;
        }
        long lines = (m + count - 1) / count;
        lines = (lines + LINE_QUANTUM - 1) / LINE_QUANTUM * LINE_QUANTUM;
        if (lines >= m) {
            return 0;
        }
        return (int) lines;
    }
}
