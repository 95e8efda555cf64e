package io.threadgov.governor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report of one governor (docs/DESIGN.md, section 3): its keys, in that order, and the pool records. */
final class GovernorReport {

    private GovernorReport() {
    }

    /** The report as a map in DESIGN.md's order: budget, mode, jdk, pools, native, then extras. */
    static Map<String, Object> of(Governor g) {
        Config c = g.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("budget", c.budget());
        m.put("mode", c.mode().key());
        m.put("jdk", System.getProperty("java.version"));
        List<Object> pools = new ArrayList<>();
        for (PoolDecision d : g.pools()) {
            pools.add(poolRecord(d));
        }
        m.put("pools", pools);
        List<Map<String, Object>> nat;
        try {
            nat = g.natives().records();
        } catch (Throwable t) {
            Log.failure("native report", t);
            nat = List.of();
        }
        m.put("native", nat);
        Map<String, Object> env = null;
        try {
            env = g.natives().environment();
        } catch (Throwable t) {
            Log.failure("native report", t);
        }
        m.put("native_environment", env);
        m.put("budget_source", c.budgetSource());
        m.put("available_processors", c.availableProcessors());
        m.put("pools_mode", c.pools().key());
        m.put("native_mode", c.nativeAuto() ? "auto" : "off");
        m.put("pools_total", g.poolsTotal());
        m.put("pools_live", g.poolsLive());
        m.put("busy_workers", g.busyWorkers());
        m.put("uptime_ms", g.uptimeMillis());
        m.put("suppressed", Log.failures());
        m.put("relief", g.relief().counters());
        m.put("admission", admission(c, g.admission()));
        m.put("streams_in_caller", g.streamsInCaller());
        m.put("gemm_blocks", g.gemmBlocks().counters());
        m.put("native_callers", g.nativeCallers().counters());
        m.put("foreign_pools", g.foreignPools().records());
        Map<String, Object> host = g.hostRecord();
        m.put("scope", host != null ? BudgetScope.HOST.key() : BudgetScope.JVM.key());
        if (host != null) {
            m.put("host", host);
        }
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("mode", c.demand() ? "on" : "off");
        dm.putAll(g.demand().counters());
        m.put("demand", dm);
        return m;
    }

    private static Map<String, Object> admission(Config c, CpuAdmission admission) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("mode", c.admission() ? "on" : "off");
        a.putAll(admission.counters());
        return a;
    }

    /** One pool's record (DESIGN.md, section 3, "Pool record"). */
    static Map<String, Object> poolRecord(PoolDecision d) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", d.kind());
        p.put("creator", d.creator());
        p.put("nested", d.nested());
        p.put("depth", d.depth());
        p.put("requested", d.requested());
        p.put("granted", d.granted());
        p.put("share", d.share());
        p.put("resizable", d.resizable());
        p.put("semantics", d.semantics().key());
        p.put("applied", d.applied());
        if (d.reliefSteps() > 0) {
            p.put("relief_steps", d.reliefSteps());
        }
        String gate = d.gateState();
        if (gate != null) {
            p.put("admission", gate);
        }
        PoolDemand demand = d.demand();
        double measured = demand.demand();
        p.put("character", demand.character().key());
        if (measured >= 0) {
            p.put("demand", Math.round(measured * 100) / 100.0);
        }
        p.put("samples", demand.samples());
        p.put("decided_by", d.decidedBy() == null ? Decision.TOP_LEVEL.key() : d.decidedBy().key());
        List<PoolDecision.Redecision> rs = d.redecisions();
        if (!rs.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (PoolDecision.Redecision r : rs) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("at_ms", r.atMillis);
                e.put("from", r.from);
                e.put("to", r.to);
                e.put("reason", r.reason.key());
                e.put("demand", r.demand < 0 ? -1.0 : Math.round(r.demand * 100) / 100.0);
                list.add(e);
            }
            p.put("redecisions", list);
        }
        return p;
    }
}
