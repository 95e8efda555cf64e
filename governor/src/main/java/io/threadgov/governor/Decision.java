package io.threadgov.governor;

/** Why a pool has the parallelism it has now: how it was decided at birth, or what re-decided it since. */
public enum Decision {
    /** A top-level pool: it keeps the size the application gave it (unless {@code pools=all}). */
    TOP_LEVEL("top-level"),
    /** A nested pool: its creator's share. */
    SHARE("share"),
    /** A nested pool born at the grant its creation site's last measured demand gives. */
    SITE("site"),
    /** Created during class initialization (a global pool in a holder class): decided as top-level. */
    CLASS_INIT("class-init"),
    /** Re-decided for a thread outside its creator's pool that feeds it (main, another pool's worker). */
    USERS("users"),
    /** Re-decided by its measured demand. */
    DEMAND("demand");

    private final String key;

    Decision(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
