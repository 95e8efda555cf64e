package io.threadgov.governor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.BiConsumer;

/**
 * The pools the governor has decided on: a weak map from live pool to its decision (so workers find
 * their share and the governor can resize managed pools), and the records for the report.
 *
 * <p>Pools are held weakly: a pool the application drops is collected as if the agent were not there.
 * Records are kept for the first {@link #MAX_RECORDS} pools; later pools are counted but not listed, so
 * an application that creates millions of pools does not grow the heap.
 */
final class PoolRegistry {

    static final int MAX_RECORDS = 1000;

    private final Map<Object, PoolDecision> live = new WeakHashMap<>();
    private final List<PoolDecision> records = new ArrayList<>();
    private long total;

    synchronized void add(Object pool, PoolDecision d) {
        live.put(pool, d);
        total++;
        if (records.size() < MAX_RECORDS) {
            records.add(d);
        }
    }

    synchronized PoolDecision get(Object pool) {
        return live.get(pool);
    }

    synchronized List<PoolDecision> records() {
        return new ArrayList<>(records);
    }

    synchronized long total() {
        return total;
    }

    synchronized int liveCount() {
        return live.size();
    }

    /** Visits each live pool with its decision, under the lock: keep the action short. */
    synchronized void forEachLive(BiConsumer<Object, PoolDecision> action) {
        new ArrayList<>(live.entrySet()).forEach(e -> action.accept(e.getKey(), e.getValue()));
    }
}
