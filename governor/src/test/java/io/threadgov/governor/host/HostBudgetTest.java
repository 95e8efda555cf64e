package io.threadgov.governor.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Host scope's grant rule and how the grant follows it: the policy alone (HostScopeTest proves it across JVMs). */
class HostBudgetTest {

    @Test
    void theGrantSharesTheCoresByDemand() {
        assertEquals(4, HostBudget.grant(4, 3, 0), "busy alone: every core");
        assertEquals(3, HostBudget.grant(4, 1, 1), "room for all: the others keep theirs");
        assertEquals(2, HostBudget.grant(4, 4, 4), "all busy: in proportion");
        assertEquals(1, HostBudget.grant(4, 1, 12), "never below one");
    }

    @Test
    void aFallIsFollowedAtOnceAndARiseOnlyOnceWantedForItsLooks() {
        assertEquals(1, HostBudget.follow(2, 1, 0), "the others compute now: lowered at once");
        for (int looks = 1; looks < HostBudget.RAISE_LOOKS; looks++) {
            assertEquals(1, HostBudget.follow(1, 2, looks), "a gap between two stages keeps the grant: look " + looks);
        }
        assertEquals(2, HostBudget.follow(1, 2, HostBudget.RAISE_LOOKS), "wanted long enough: raised");
        assertEquals(2, HostBudget.follow(2, 2, 0));
    }
}
