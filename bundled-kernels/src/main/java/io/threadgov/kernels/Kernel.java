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

    /**
     * The size of the pools the kernel creates itself when {@code kernel.inner} is unset, on a machine of
     * {@code cores} cores: every core by default ({@code newFixedThreadPool(cores)}, {@code new ForkJoinPool()},
     * what a naive app asks for). A kernel whose pools are sized by something else (io-fanout: one thread per
     * blocking downstream call) returns that size, and the static grid tries it as an inner value too.
     */
    default int defaultInner(int cores) {
        return cores;
    }
}
