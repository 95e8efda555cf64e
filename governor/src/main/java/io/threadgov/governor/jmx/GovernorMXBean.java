package io.threadgov.governor.jmx;

import java.util.List;

/**
 * The governor of one JVM as a platform MXBean, {@value GovernorJmx#OBJECT_NAME}: read what it decided,
 * and change the budget or the mode while the application runs (JConsole, JMC, {@code jcmd}-started local
 * management agent). Budget and Mode are writable attributes; a change takes effect at once.
 */
public interface GovernorMXBean {

    /** The core budget B. */
    int getBudget();

    /**
     * Changes the budget: the native runtimes are told at once, governed workers re-apply their share at
     * their next task, and live pools the governor manages are resized to their new grant.
     *
     * @throws IllegalArgumentException unless 1 &lt;= cores &lt;= 32767
     */
    void setBudget(int cores);

    /** Where the budget came from: -Dthreadgov.cores, agent argument, availableProcessors(), or JMX. */
    String getBudgetSource();

    int getAvailableProcessors();

    /** enforce or observe (off only exists at start). */
    String getMode();

    /**
     * Changes the mode: enforce cuts managed pools to their grant, observe grows them back to what the
     * application asked for and stops changing native thread counts.
     *
     * @throws IllegalArgumentException unless the mode is enforce or observe
     */
    void setMode(String mode);

    /** threadgov.pools: nested, all or none. */
    String getPoolsMode();

    /** threadgov.native: auto or off. */
    String getNativeMode();

    /** Pools decided since start, including those already collected. */
    long getPoolsTotal();

    /** Governed pools still alive. */
    int getPoolsLive();

    /** Governed workers running a task (counted once a process-wide native runtime needs it). */
    int getBusyWorkers();

    /** The live governed pools, with their decision and current size. */
    List<PoolInfo> getPools();

    /** The native runtimes found, with their thread counts. */
    List<NativeRuntimeInfo> getNativeRuntimes();

    /** What the last budget or mode change did to the pools, or an empty string. */
    String getLastChange();

    /** The JSON report of DESIGN.md, as written at exit. */
    String getReportJson();
}
