package io.threadgov.governor.natives;

import io.threadgov.governor.Config;
import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import io.threadgov.governor.Mode;
import io.threadgov.governor.NativeControl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Finds the native BLAS/OpenMP runtimes the process has loaded and runs each thread at its share: the native
 * layer's facade, what the governor and {@code io.threadgov.ThreadGov} call.
 *
 * <p>Created by the agent through its isolating class loader ({@code new NativeGovernor(governor)}), or
 * by {@code io.threadgov.ThreadGov} without an agent ({@code governor == null}: budget and switches
 * from system properties, no events, discovery on first use). Besides {@link NativeControl} it is a
 * {@code BiFunction<Integer, String[], AutoCloseable>} that opens a {@link #limit}: a JDK type, so that
 * {@code ThreadGov} reaches the agent's instance across class loaders.
 *
 * <p>The work is done by {@link RuntimeDiscovery} (finding runtimes as libraries load), {@link NativePolicy}
 * (which count to set for whom, and when it is safe), {@link ScopedLimits} ({@code ThreadGov.limit}) and
 * {@link ThreadValues} (the per-thread cache); each says how it is safe across threads.
 *
 * <p>No method throws: every failure is counted with {@link Log#failure} (one stderr line per stage)
 * and the application runs on ungoverned. {@code threadgov.native=off} (or {@code mode=off}) makes every
 * method a no-op.
 */
public final class NativeGovernor implements NativeControl, BiFunction<Integer, String[], AutoCloseable> {

    /** The limit that changed nothing: closing it does nothing. */
    public static final AutoCloseable NO_LIMIT = ScopedLimits.NO_LIMIT;

    private final boolean enabled;
    private final GovernorView view;
    private final RuntimeDiscovery discovery;
    private final NativePolicy policy;
    private final ScopedLimits limits;

    /** The native layer of {@code governor}, or a standalone one when {@code governor} is null. */
    public NativeGovernor(Governor governor) {
        Config c = governor != null ? governor.config()
                : Config.parse(null, System.getProperties(), Runtime.getRuntime().availableProcessors());
        this.enabled = c.nativeAuto() && c.mode() != Mode.OFF;
        this.view = new GovernorView(governor, c.budget());
        this.discovery = new RuntimeDiscovery(c.fault());
        ThreadValues threadValues = new ThreadValues(view);
        this.policy = new NativePolicy(view, discovery, threadValues);
        this.limits = new ScopedLimits(view, policy, threadValues);
    }

    /** False when {@code threadgov.native=off}: nothing is discovered or changed. */
    public boolean enabled() {
        return enabled;
    }

    // ---------------------------------------------------------------- NativeControl

    @Override
    public void libraryLoaded(String hint) {
        if (!enabled || discovery.broken()) {
            return;
        }
        try {
            boolean again;
            do {
                List<NativeRuntime> found = discovery.scan();
                if (found == null) {
                    return; // JNA is being initialised elsewhere: that thread scans again when done
                }
                for (NativeRuntime r : found) {
                    policy.adopt(r);
                }
                policy.reassert(found);
                if (!found.isEmpty()) {
                    view.runtimesFound();
                    discovery.warnIfSeveralOpenMp();
                    if (view.enforcing()) {
                        discovery.prepareAfterScan();
                    }
                }
                again = NativeLib.takeMissed();
            } while (again && !discovery.broken());
        } catch (Throwable t) {
            Log.failure("native discovery", t);
        }
    }

    @Override
    public void libraryLoading(String what) {
        if (!enabled || !view.enforcing()) {
            return;
        }
        discovery.prepareEnvironment(what);
    }

    @Override
    public void applyToCurrentThread(int share) {
        if (!enabled) {
            return;
        }
        try {
            policy.applyToCurrentThread(share);
        } catch (Throwable t) {
            Log.failure("native apply", t);
        }
    }

    @Override
    public void busyWorkersChanged(int busyWorkers, int budget) {
        if (!enabled) {
            return;
        }
        try {
            policy.busyWorkersChanged(busyWorkers, budget);
        } catch (Throwable t) {
            Log.failure("native busy", t);
        }
    }

    @Override
    public void callersChanged(boolean mayRaise) {
        if (!enabled) {
            return;
        }
        try {
            policy.callersChanged(mayRaise);
        } catch (Throwable t) {
            Log.failure("native callers", t);
        }
    }

    @Override
    public void budgetChanged(int budget) {
        busyWorkersChanged(view.busyNow(), budget);
    }

    @Override
    public List<Map<String, Object>> records() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!enabled) {
            return out;
        }
        List<NativeRuntime> omp = discovery.openMpRuntimes();
        for (NativeRuntime r : discovery.runtimes()) {
            try {
                Map<String, Object> rec = r.record();
                if (r.kind == RuntimeKind.OPENMP && omp.size() > 1) {
                    // several OpenMP runtimes in one process (warned once on stderr): the others' files
                    List<String> others = new ArrayList<>();
                    for (NativeRuntime o : omp) {
                        if (o != r) {
                            others.add(o.filepath);
                        }
                    }
                    rec.put("other_openmp", others);
                }
                out.add(rec);
            } catch (Throwable t) {
                Log.failure("native report", t);
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> environment() {
        return enabled ? discovery.environmentRecord() : null;
    }

    @Override
    public boolean needsBusyCount() {
        return discovery.anyProcessWide();
    }

    // ---------------------------------------------------------------- limits (ThreadGov.limit)

    @Override
    public AutoCloseable apply(Integer threads, String[] apis) {
        return limit(threads, apis);
    }

    /**
     * Runs the matching runtimes at {@code threads} until the returned handle is closed, then restores
     * what they had. {@code apis}: "blas", "openmp", an internal name ("openblas", "blis", "mkl",
     * "flexiblas"), a prefix ("libgomp"), or none for all. Per-thread runtimes change for the calling
     * thread only; process-wide ones for the process, and the busy-driven policy leaves them alone
     * until the handle is closed. A limit that changes nothing makes no native call.
     */
    public AutoCloseable limit(int threads, String... apis) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        if (!enabled) {
            return NO_LIMIT;
        }
        if (!discovery.scanned()) {
            libraryLoaded("first limit");
        }
        return limits.open(discovery.runtimes(), threads, apis);
    }
}
