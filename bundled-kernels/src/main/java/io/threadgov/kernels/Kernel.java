package io.threadgov.kernels;

/**
 * A reference workload: an ordinary application that knows nothing of threadgov. It nests parallelism the
 * way real code does and returns a checksum, so that runs with and without the agent can be compared.
 */
public interface Kernel {

    /** The name used on the command line ({@code run NAME}, {@code verify --kernel NAME}). */
    String name();

    /** One line: what nests inside what. */
    String description();

    /** Builds inputs; not timed. */
    void setUp(Knobs knobs) throws Exception;

    /**
     * One execution of the workload; timed by the caller. Kernels with phases record them in
     * {@code phases}.
     */
    Checksum runOnce(PhaseTimes phases) throws Exception;

    /** Frees what {@link #setUp} built. */
    default void tearDown() {
    }

    /**
     * The smallest inner pool size with which the application is correct. A static setting below it would
     * deadlock (the application itself relies on it), so the best-static grid never goes below it.
     */
    default int minInner() {
        return 1;
    }
}
