package io.threadgov.governor;

import java.util.List;
import java.util.Map;

/**
 * The governor's view of the native runtimes (BLAS, OpenMP). Implemented by the native layer; the
 * governor calls it from the hooks, so every method must be cheap when nothing changed, must not throw
 * (failures are counted through {@link Log#failure}), and must be safe to call from any thread. Each
 * method does nothing by default, as {@link #NONE} does.
 */
public interface NativeControl {

    /** A library was (maybe) loaded: rescan what the process has mapped and govern anything new. */
    default void libraryLoaded(String hint) { }

    /**
     * A native library is about to be loaded ({@code what}: its name or path, or null): prepare what a
     * runtime reads only when it initialises (its environment).
     */
    default void libraryLoading(String what) { }

    /** Run native code on the calling thread at {@code share} threads (per-thread setters). */
    default void applyToCurrentThread(int share) { }

    /**
     * The number of busy governed workers changed; process-wide setters follow it. {@code busyWorkers} is
     * what the caller saw; an implementation with access to the live count re-reads it when applying.
     */
    default void busyWorkersChanged(int busyWorkers, int budget) { }

    /**
     * A thread outside the counted workers entered a native call, or the callers all stayed out for a while, changing
     * the busy count; process-wide setters follow it, lowered always, raised only when {@code mayRaise}. Called on
     * every such call: cheap when the process-wide value stays as it is.
     */
    default void callersChanged(boolean mayRaise) { }

    /** The budget changed at run time. */
    default void budgetChanged(int budget) { }

    /** The runtimes found, as report records (threadpoolctl's field names plus {@code scope}). */
    default List<Map<String, Object>> records() {
        return List.of();
    }

    /**
     * The spin-wait variables set before the first runtime loaded, and the user's own ({@code native_environment}
     * in the report), or null before any such load.
     */
    default Map<String, Object> environment() {
        return null;
    }

    /** True when any governed runtime has only a process-wide setter, so busy workers must be counted. */
    default boolean needsBusyCount() {
        return false;
    }

    /** Does nothing: {@code threadgov.native=off} or no native layer. */
    NativeControl NONE = new NativeControl() { };
}
