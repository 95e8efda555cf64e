package io.threadgov.governor.natives;

import io.threadgov.governor.Log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the native runtimes the process has loaded, as libraries load: each mapped file once, by its name and then
 * by the symbols that file itself defines. Also prepares the C environment before the first BLAS is loaded.
 */
final class RuntimeDiscovery {

    /*
     * Discovery. scan() reads /proc/self/maps (pure Java) after every load event, so nothing loaded by any path is
     * missed: System.load, JNA, JavaCPP, FFM, or a JNI library's own dlopen (netlib's shim opening libblas.so.3
     * from its JNI_OnLoad). Each mapped file is examined once: a file-name prefix picks candidate families
     * (RuntimeKind), and only then JNA opens the file with RTLD_NOLOAD (the copy already there, never a new load)
     * and looks for the family's symbols in that file's own address range. Two copies of one library are two
     * files, two controllers.
     *
     * Environment: before the first load of a library that is or brings a BLAS or OpenMP runtime (by its name or its
     * direct dependencies), NativeEnvironment sets what those runtimes read only when they initialise (how long their
     * idle threads spin), where the user did not.
     *
     * Concurrency: runtimes is a copy-on-write array (volatile), appended under scanLock, which also guards
     * examined and the environment's one preparation. JNA is initialised before scanLock is taken (its first load
     * must not happen under it, see NativeLib). A runtime's index is its position in the array, fixed once it
     * is published.
     */

    private final String fault;
    private final Object scanLock = new Object();
    private final Set<String> examined = new HashSet<>();
    private volatile NativeRuntime[] runtimes = new NativeRuntime[0];
    private volatile boolean anyProcessWide;
    private volatile boolean jnaBroken;
    private volatile boolean scanned;
    private volatile boolean environmentPrepared;
    /** What the environment's preparation did; null before it (written under scanLock, read anywhere). */
    private volatile NativeEnvironment.Prepared environment;
    /** OpenMP runtimes already named in a warning (several in one process): guarded by scanLock. */
    private int openMpWarned = 1;

    RuntimeDiscovery(String fault) {
        this.fault = fault;
    }

    /** The runtimes found so far, in the order found. */
    NativeRuntime[] runtimes() {
        return runtimes;
    }

    /** True once a runtime with only a process-wide setter was found. */
    boolean anyProcessWide() {
        return anyProcessWide;
    }

    /** The OpenMP runtimes found so far (distinct files), in the order found. */
    List<NativeRuntime> openMpRuntimes() {
        List<NativeRuntime> out = new ArrayList<>(2);
        for (NativeRuntime r : runtimes) {
            if (r.kind == RuntimeKind.OPENMP) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * After a scan: when it brought the process more than one OpenMP runtime (two files: libgomp and LLVM's
     * libomp or Intel's libiomp5, or two copies of one, such as the system's libgomp and libtorch's
     * libgomp-HASH.so.1), one warning line naming them all, as threadpoolctl warns: each runtime keeps its own
     * thread pool and its own count, so their teams add up, and some pairs are known to crash or deadlock
     * together. One line per scan that added OpenMP runtimes to a process that has two or more.
     */
    void warnIfSeveralOpenMp() {
        List<NativeRuntime> omp = openMpRuntimes();
        synchronized (scanLock) {
            if (omp.size() <= openMpWarned) {
                return;
            }
            openMpWarned = omp.size();
        }
        StringBuilder b = new StringBuilder();
        for (NativeRuntime r : omp) {
            b.append(b.length() == 0 ? "" : ", ").append(r.prefix).append(" (").append(r.filepath).append(')');
        }
        Log.warn(omp.size() + " OpenMP runtimes are loaded in this process: " + b + "; each has its own thread"
                + " pool and thread count, so their threads add up (threadgov sets every one), and some pairs"
                + " (libomp with libiomp5) are known to crash or deadlock together: load one OpenMP runtime");
    }

    /** True once JNA failed: nothing more is discovered. */
    boolean broken() {
        return jnaBroken;
    }

    /** True once the mapped files were scanned at least once. */
    boolean scanned() {
        return scanned;
    }

    /**
     * Reads the mapped files and identifies the runtimes among those not examined yet; returns them (appended to
     * {@link #runtimes()} already), or null when JNA is being initialised elsewhere: that thread scans again when
     * done.
     */
    List<NativeRuntime> scan() throws IOException {
        Map<String, MappedLibraries.Range> maps = MappedLibraries.read();
        if (!jnaReadyFor(maps)) {
            return null;
        }
        return scan(maps);
    }

    /**
     * Before the scan lock is taken: JNA is initialised here if the maps hold a candidate and it is not yet
     * (its first load must not happen under the scan lock, see NativeLib). False when another thread is
     * initialising it, or this thread re-enters its own initialisation.
     */
    private boolean jnaReadyFor(Map<String, MappedLibraries.Range> maps) {
        if (NativeLib.ready()) {
            return true;
        }
        for (String path : maps.keySet()) {
            if (!RuntimeKind.candidates(MappedLibraries.fileName(path)).isEmpty()) {
                return jnaReady();
            }
        }
        return true; // nothing to open: the scan needs no JNA
    }

    private boolean jnaReady() {
        try {
            return NativeLib.tryInitialise(fault);
        } catch (Throwable t) {
            jnaBroken = true;
            Log.failure("native jna", t);
            return false;
        }
    }

    /** What the environment's preparation did, as the report's {@code native_environment}; null before it. */
    Map<String, Object> environmentRecord() {
        NativeEnvironment.Prepared p = environment;
        return p == null ? null : p.record();
    }

    /**
     * A library called {@code what} is about to be loaded: before the first that may be or bring a BLAS or OpenMP
     * runtime, sets what such a runtime reads only when it initialises (once per process; one info line).
     */
    void prepareEnvironment(String what) {
        if (jnaBroken || environmentPrepared || !NativeEnvironment.mayBringRuntime(what) || !jnaReady()) {
            return;
        }
        prepareOnce(what, List.of());
    }

    /**
     * After a scan that found runtimes while the environment was not prepared yet (they were loaded before the
     * agent's start finished, or by a path that announces no load): prepares it now. The runtimes already loaded are
     * named {@code late}: OpenBLAS and libgomp read their variable in their constructors and keep their defaults;
     * LLVM's libomp reads it at its first parallel region and runtimes loaded from now on at their load.
     */
    void prepareAfterScan() {
        if (jnaBroken || environmentPrepared || runtimes.length == 0) {
            return;
        }
        List<String> late = new ArrayList<>();
        for (NativeRuntime r : runtimes) {
            late.add(r.filepath);
        }
        prepareOnce(null, late);
    }

    private void prepareOnce(String before, List<String> late) {
        synchronized (scanLock) {
            if (environmentPrepared) {
                return;
            }
            environmentPrepared = true;
            try {
                environment = NativeEnvironment.prepare(before, late, fault);
                Log.info("native environment " + (before != null ? "before loading " + before
                        : "after " + late + " had loaded") + ": " + environment);
            } catch (Throwable t) {
                jnaBroken = true;
                Log.failure("native jna", t);
            }
        }
    }

    private List<NativeRuntime> scan(Map<String, MappedLibraries.Range> maps) {
        List<NativeRuntime> found = new ArrayList<>();
        synchronized (scanLock) {
            scanned = true;
            for (Map.Entry<String, MappedLibraries.Range> e : maps.entrySet()) {
                String path = e.getKey();
                if (!examined.add(path)) {
                    continue;
                }
                List<RuntimeKind> kinds = RuntimeKind.candidates(MappedLibraries.fileName(path));
                if (kinds.isEmpty()) {
                    continue;
                }
                NativeRuntime r = identify(path, e.getValue(), kinds);
                if (jnaBroken) {
                    break;
                }
                if (r != null) {
                    found.add(r);
                }
            }
            if (!found.isEmpty()) {
                NativeRuntime[] old = runtimes;
                NativeRuntime[] next = Arrays.copyOf(old, old.length + found.size());
                for (int i = 0; i < found.size(); i++) {
                    NativeRuntime r = found.get(i);
                    r.index = old.length + i;
                    next[r.index] = r;
                    if (!r.perThread()) {
                        anyProcessWide = true;
                    }
                }
                runtimes = next;
            }
        }
        return found;
    }

    private NativeRuntime identify(String path, MappedLibraries.Range range, List<RuntimeKind> kinds) {
        NativeLib lib;
        try {
            lib = NativeLib.open(path, range, fault);
        } catch (UnsatisfiedLinkError e) {
            if (e.getMessage() != null && e.getMessage().contains(path)) {
                Log.failure("native open", e);  // this file only: JNA itself works
                return null;
            }
            jnaBroken = true;
            Log.failure("native jna", e);
            return null;
        } catch (Throwable t) {
            jnaBroken = true;
            Log.failure("native jna", t);
            return null;
        }
        String name = MappedLibraries.fileName(path);
        for (RuntimeKind k : kinds) {
            try {
                NativeRuntime r = controller(k, k.prefixOf(name), lib);
                if (r != null) {
                    return r;
                }
            } catch (Throwable t) {
                Log.failure("native " + k.internalApi, t);
            }
        }
        return null;
    }

    private static NativeRuntime controller(RuntimeKind k, String prefix, NativeLib lib) {
        switch (k) {
            case OPENBLAS: return OpenBlasRuntime.identify(prefix, lib);
            case MKL: return MklRuntime.identify(prefix, lib);
            case BLIS: return BlisRuntime.identify(prefix, lib);
            case FLEXIBLAS: return FlexiBlasRuntime.identify(prefix, lib);
            case OPENMP: return OpenMpRuntime.identify(prefix, lib);
            default: return null;
        }
    }
}
