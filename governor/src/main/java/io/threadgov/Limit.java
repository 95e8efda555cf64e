package io.threadgov;

/**
 * A native thread limit opened by {@link ThreadGov#limit}; closing it restores what the runtimes had.
 * Use it with try-with-resources. Closing twice does nothing.
 */
@FunctionalInterface
public interface Limit extends AutoCloseable {

    /** Restores the previous thread counts. Never throws. */
    @Override
    void close();

    /** The limit that changed nothing. */
    Limit NONE = () -> { };
}
