package io.threadgov.governor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaults() {
        Config c = Config.defaults(6);
        assertEquals(6, c.budget());
        assertEquals(Mode.ENFORCE, c.mode());
        assertEquals(PoolScope.NESTED, c.pools());
        assertTrue(c.nativeAuto());
        assertNull(c.report());
        assertEquals(LogLevel.WARN, c.log());
        assertTrue(c.problems().isEmpty());
        assertTrue(c.enforcing());
    }

    @Test
    void agentArgumentsAndPropertiesWithPropertyWinning() {
        Config c = Config.parse("cores=3,threadgov.mode=observe,pools=all", props("threadgov.cores", "5"), 2);
        assertEquals(5, c.budget());
        assertEquals("-Dthreadgov.cores", c.budgetSource());
        assertEquals(Mode.OBSERVE, c.mode());
        assertEquals(PoolScope.ALL, c.pools());
    }

    @Test
    void badCoresFallsBackToObserveOnly() {
        Config c = Config.parse(null, props("threadgov.cores", "zero"), 4);
        assertEquals(4, c.budget());
        assertFalse(c.enforcing());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).contains("threadgov.cores") && c.problems().get(0).contains("'zero'"));
    }

    @Test
    void badWordsFallBackToTheChoiceThatGovernsLess() {
        Config c = Config.parse("mode=loud,pools=x,native=yes,log=chatty", new Properties(), 2);
        assertEquals(Mode.OBSERVE, c.mode());
        assertEquals(PoolScope.NONE, c.pools());
        assertFalse(c.nativeAuto());
        assertEquals(LogLevel.WARN, c.log());
        assertEquals(4, c.problems().size());
    }

    @Test
    void demandIsOnByDefaultAndABadValueTurnsItOffWithOneMessage() {
        assertTrue(Config.parse(null, new Properties(), 2).demand());
        Config c = Config.parse("demand=maybe", new Properties(), 2);
        assertFalse(c.demand());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).contains("'maybe' for threadgov.demand (allowed: on, off)"), c.problems().toString());
        assertFalse(Config.parse("demand=on,pools=none", new Properties(), 2).demand(), "nothing to size with pools=none");
    }

    @Test
    void scopeIsJvmByDefaultHostWhenAskedAndABadValueNamesWhatIsAllowed() {
        assertEquals(BudgetScope.JVM, Config.parse(null, new Properties(), 2).scope());
        assertEquals(BudgetScope.HOST, Config.parse("scope=host", new Properties(), 2).scope());
        Properties p = new Properties();
        p.setProperty("threadgov.scope", "HOST");
        assertEquals(BudgetScope.HOST, Config.parse(null, p, 2).scope());
        Config c = Config.parse("scope=galaxy", new Properties(), 2);
        assertEquals(BudgetScope.JVM, c.scope());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).contains("'galaxy' for threadgov.scope (allowed: jvm, host)"), c.problems().toString());
    }

    @Test
    void aReportPathMayNameTheProcess() {
        Config c = Config.parse("report=target/r-%p.json", new Properties(), 2);
        assertTrue(c.report().toString().endsWith("r-" + ProcessHandle.current().pid() + ".json"), c.report().toString());
    }

    @Test
    void gemmBlocksAreOffByDefaultAndOnlyWhereNativeCountsAreGoverned() {
        assertFalse(Config.defaults(2).gemmBlocks(), "off by default");
        assertTrue(Config.parse("gemm_blocks=on", new Properties(), 2).gemmBlocks());
        assertTrue(Config.parse("gemm_blocks=on", new Properties(), 2).toString().contains(",gemm_blocks=on"));
        assertFalse(Config.defaults(2).toString().contains("gemm_blocks"), Config.defaults(2)::toString);
        assertFalse(Config.parse("gemm_blocks=off", new Properties(), 2).gemmBlocks());
        assertFalse(Config.parse("gemm_blocks=on,mode=observe", new Properties(), 2).gemmBlocks());
        assertFalse(Config.parse("gemm_blocks=on,native=off", new Properties(), 2).gemmBlocks());
        Config bad = Config.parse("gemm_blocks=sometimes", new Properties(), 2);
        assertFalse(bad.gemmBlocks());
        assertEquals(1, bad.problems().size(), bad.problems()::toString);
        assertTrue(bad.problems().get(0).contains("threadgov.gemm_blocks") && bad.problems().get(0).contains("on, off"),
                bad.problems()::toString);
    }

    @Test
    void admissionIsOptInAndOnlyInEffectWhereItCanGovern() {
        assertFalse(Config.defaults(2).admission(), "off by default");
        assertTrue(Config.parse("admission=on", new Properties(), 2).admission());
        assertFalse(Config.parse("admission=on,mode=observe", new Properties(), 2).admission());
        assertFalse(Config.parse("admission=on,pools=none", new Properties(), 2).admission());
        Config bad = Config.parse("admission=maybe", new Properties(), 2);
        assertFalse(bad.admission());
        assertEquals(1, bad.problems().size());
        assertTrue(bad.problems().get(0).contains("threadgov.admission") && bad.problems().get(0).contains("on, off"),
                bad.problems()::toString);
    }

    @Test
    void unknownKeysAreNamed() {
        Config c = Config.parse("cores=2,turbo=on", new Properties(), 2);
        assertEquals(2, c.budget());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).contains("'turbo'"));
    }
}
