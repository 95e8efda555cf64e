package io.threadgov.governor.jfr;

import io.threadgov.governor.EventSink;
import io.threadgov.governor.Log;
import io.threadgov.governor.PoolDecision;

import java.util.Map;

/**
 * Records the governor's decisions as JFR events of category {@code threadgov}.
 *
 * <p>Cost when no recording runs: each method builds one small event object and asks
 * {@code shouldCommit()}, which is false (and the JIT folds it) until a recording enables the event; no
 * field is computed before that check. Never throws: a failure is counted by {@link Log#failure}.
 */
public final class JfrEventSink implements EventSink {

    @Override
    public void poolGoverned(PoolDecision d) {
        try {
            PoolGovernedEvent e = new PoolGovernedEvent();
            if (!e.shouldCommit()) {
                return;
            }
            e.poolId = d.id();
            e.kind = d.kind();
            e.creator = d.creator();
            e.nested = d.nested();
            e.depth = d.depth();
            e.parentId = d.parent() == null ? 0 : d.parent().id();
            e.requested = d.requested();
            e.granted = d.granted();
            e.creatorShare = d.creatorShare();
            e.share = d.share();
            e.resizable = d.resizable();
            e.semantics = d.semantics().key();
            e.applied = d.applied();
            e.commit();
        } catch (Throwable t) {
            Log.failure("jfr PoolGoverned", t);
        }
    }

    @Override
    public void starvationRelief(PoolDecision d, int from, int to, long blockedMillis, int queued) {
        try {
            StarvationReliefEvent e = new StarvationReliefEvent();
            if (!e.shouldCommit()) {
                return;
            }
            e.poolId = d.id();
            e.pool = d.kind() + " created by " + d.creator();
            e.from = from;
            e.to = to;
            e.requested = d.requested();
            e.blocked = blockedMillis;
            e.queued = queued;
            e.commit();
        } catch (Throwable t) {
            Log.failure("jfr StarvationRelief", t);
        }
    }

    @Override
    public void poolRedecided(PoolDecision d, PoolDecision.Redecision r) {
        try {
            PoolRedecidedEvent e = new PoolRedecidedEvent();
            if (!e.shouldCommit()) {
                return;
            }
            e.poolId = d.id();
            e.kind = d.kind();
            e.creator = d.creator();
            e.fromParallelism = r.from;
            e.toParallelism = r.to;
            e.reason = r.reason.key();
            e.demand = r.demand;
            e.samples = d.demand().samples();
            e.commit();
        } catch (Throwable t) {
            Log.failure("jfr PoolRedecided", t);
        }
    }

    @Override
    public void hostBudget(int cores, int from, int to, int demand, int othersDemand, int jvms) {
        try {
            HostBudgetEvent e = new HostBudgetEvent();
            if (!e.shouldCommit()) {
                return;
            }
            e.cores = cores;
            e.fromBudget = from;
            e.toBudget = to;
            e.demand = demand;
            e.othersDemand = othersDemand;
            e.jvms = jvms;
            e.commit();
        } catch (Throwable t) {
            Log.failure("jfr HostBudget", t);
        }
    }

    @Override
    public void nativeRuntime(Map<String, Object> record) {
        try {
            NativeRuntimeEvent e = new NativeRuntimeEvent();
            if (!e.shouldCommit()) {
                return;
            }
            e.api = string(record, "user_api");
            e.internalApi = string(record, "internal_api");
            e.filepath = string(record, "filepath");
            e.version = string(record, "version");
            e.layer = string(record, "threading_layer");
            Object n = record.get("num_threads");
            e.threads = n instanceof Number ? ((Number) n).intValue() : -1;
            e.scope = string(record, "scope");
            e.commit();
        } catch (Throwable t) {
            Log.failure("jfr NativeRuntime", t);
        }
    }

    @Override
    public void nativeLimit(String runtime, String scope, int oldThreads, int newThreads, String thread) {
        try {
            NativeLimitEvent e = new NativeLimitEvent();
            if (!e.shouldCommit()) {
                return;
            }
            e.runtime = runtime;
            e.scope = scope;
            e.oldThreads = oldThreads;
            e.newThreads = newThreads;
            e.thread = thread;
            e.commit();
        } catch (Throwable t) {
            Log.failure("jfr NativeLimit", t);
        }
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
