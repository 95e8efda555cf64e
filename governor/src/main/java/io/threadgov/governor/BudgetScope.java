package io.threadgov.governor;

/** Whose cores the budget is: {@code threadgov.scope}. */
public enum BudgetScope {
    /** This JVM's: it governs as if it owned the cores (the default). */
    JVM,
    /** Every JVM of this user on this host with host scope shares one budget (DESIGN.md, section 11). */
    HOST;

    public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
