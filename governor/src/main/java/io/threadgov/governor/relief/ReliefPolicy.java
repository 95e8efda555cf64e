package io.threadgov.governor.relief;

/**
 * Decides, for one cut pool, when to grow it back by one worker and when to shrink it again by one: a
 * pure state machine fed with samples and the time they were taken. No threads, no clock of its own.
 *
 * <p>Grow: the pool is <em>starving</em> (tasks queued, every worker inside a task and none of them
 * RUNNABLE, and not one task completed since the previous sample) continuously for {@code starvation}
 * nanoseconds, and its size is below what the application asked for. Each growth restarts the window,
 * so a pool that stays starving grows one worker per window, never in a burst.
 *
 * <p>Shrink: the pool is <em>calm</em> (queue empty and at least one worker idle) continuously for
 * {@code calm} nanoseconds, and its size is above the size the governor granted at creation. Each
 * shrink restarts the window, so the pool steps back down one worker per window. Shrinking is slower
 * than growing on purpose (the default calm window is ten starvation windows): a pool whose tasks
 * block on each other in bursts is not flapped.
 */
public final class ReliefPolicy {

    /** What one scan decided. */
    public enum Step { NONE, GROW, SHRINK }

    private static final long NEVER = Long.MIN_VALUE;

    private int granted;
    private final int requested;
    private final long starvationNanos;
    private final long calmNanos;
    private int size;
    private long starvingSince = NEVER;
    private long calmSince = NEVER;
    private long lastCompleted = -1;

    /**
     * @param granted the size the governor cut the pool to (the floor when shrinking)
     * @param requested the size the application asked for (the ceiling when growing)
     */
    public ReliefPolicy(int granted, int requested, long starvationNanos, long calmNanos) {
        this.granted = granted;
        this.requested = requested;
        this.size = granted;
        this.starvationNanos = starvationNanos;
        this.calmNanos = calmNanos;
    }

    /** The size the policy believes the pool has now. */
    public int size() {
        return size;
    }

    public int granted() {
        return granted;
    }

    public int requested() {
        return requested;
    }

    /** How long the pool has been starving at {@code now}, 0 if it is not. */
    public long starvingNanos(long now) {
        return starvingSince == NEVER ? 0 : now - starvingSince;
    }

    /**
     * Feeds one sample taken at {@code now}. When the answer is GROW or SHRINK the caller resizes the pool
     * and then reports with {@link #resized}; if it could not, it calls nothing and the policy asks again
     * one window later.
     *
     * @param queued tasks waiting in the pool's queue
     * @param allBlocked every worker is running a task and none is RUNNABLE
     * @param idleWorker at least one worker waits for work
     * @param completed the pool's completed task count (progress; read only when tasks are queued)
     */
    public Step observe(long now, int queued, boolean allBlocked, boolean idleWorker, long completed) {
        boolean progressed = false;
        if (queued > 0) {
            progressed = lastCompleted >= 0 && completed != lastCompleted;
            lastCompleted = completed;
        }
        if (queued > 0 && allBlocked && !progressed) {
            calmSince = NEVER;
            if (starvingSince == NEVER) {
                starvingSince = now;
            } else if (now - starvingSince >= starvationNanos && size < requested) {
                starvingSince = now;
                return Step.GROW;
            }
            return Step.NONE;
        }
        if (queued > 0 && allBlocked && starvingSince != NEVER) {
            // progress was made: the window restarts from this sample
            starvingSince = now;
        } else {
            starvingSince = NEVER;
        }
        if (queued == 0 && idleWorker && size > granted) {
            if (calmSince == NEVER) {
                calmSince = now;
            } else if (now - calmSince >= calmNanos) {
                calmSince = now;
                return Step.SHRINK;
            }
        } else {
            calmSince = NEVER;
        }
        return Step.NONE;
    }

    /** The pool was re-decided to {@code newSize}: its size now, and the size it shrinks back to when calm. */
    public void regrant(int newSize) {
        this.size = newSize;
        this.granted = newSize;
        this.starvingSince = NEVER;
        this.calmSince = NEVER;
    }

    /** The pool now has {@code newSize} workers allowed. */
    public void resized(int newSize) {
        this.size = newSize;
    }
}
