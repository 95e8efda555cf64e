package io.threadgov.governor.natives;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.util.Map;

/**
 * One mapped shared object opened through JNA without loading anything: {@code dlopen(path,
 * RTLD_LAZY | RTLD_NOLOAD)} returns the handle of the copy already in the process, or fails. Symbols are
 * looked up in that handle; {@link #own} keeps only symbols that the file itself defines (their address
 * lies in the file's mapping), because {@code dlsym} on a handle also searches the library's
 * dependencies: Debian's libblas.so.3 shim would otherwise pass for OpenBLAS, which it only links.
 *
 * <p>This class and the controllers are the only place JNA is touched; the first touch happens when a
 * runtime candidate is found in {@code /proc/self/maps}.
 */
final class NativeLib {

    private static final int RTLD_LAZY = 0x1;
    private static final int RTLD_NOLOAD = 0x4;

    final String path;
    final MappedLibraries.Range range;
    private final NativeLibrary lib;

    private NativeLib(String path, MappedLibraries.Range range, NativeLibrary lib) {
        this.path = path;
        this.range = range;
        this.lib = lib;
    }

    /** Opens the copy of {@code path} already mapped; throws when JNA is unusable or it is not loaded. */
    static NativeLib open(String path, MappedLibraries.Range range, String fault) {
        initialise(fault);
        NativeLibrary l = NativeLibrary.getInstance(path,
                Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY | RTLD_NOLOAD));
        return new NativeLib(path, range, l);
    }

    /*
     * JNA's first initialisation loads its dispatch library with System.load, which takes the JDK's one
     * native-library lock. A thread in a library hook may hold that lock (a JNI_OnLoad calling back into
     * Java, as JavaCPP's does), so no thread ever waits for the initialisation on another thread:
     * tryInitialise answers false at once while one runs elsewhere (and remembers that a load event went
     * unscanned, for takeMissed), and false to the initialising thread's own re-entry (the hooks of JNA's
     * load). The native layer calls it before it takes its scan lock, so nothing under that lock waits for
     * the JDK's. initialiser and missed are guarded by STATE; initialised is volatile, set under STATE.
     */
    private static final Object STATE = new Object();
    private static volatile boolean initialised;
    private static Thread initialiser;
    private static boolean missed;

    /** JNA has been initialised (successfully or not: a failure shows at the next use). */
    static boolean ready() {
        return initialised;
    }

    /** Makes JNA ready; throws when it is unusable, or made to fail ({@code fault=jna}); never waits for another thread. */
    static void initialise(String fault) {
        if (!tryInitialise(fault)) {
            throw new IllegalStateException("JNA is being initialised by another thread");
        }
    }

    /**
     * Initialises JNA on this thread unless that happened already (true); false, without waiting, while
     * another thread initialises it or when this thread re-enters its own initialisation.
     */
    static boolean tryInitialise(String fault) {
        if ("jna".equals(fault)) {
            throw new IllegalStateException("JNA made to fail on purpose (threadgov.fault=jna)");
        }
        if (initialised) {
            return true;
        }
        synchronized (STATE) {
            if (initialised) {
                return true;
            }
            if (initialiser != null) {
                if (initialiser != Thread.currentThread()) {
                    missed = true;
                }
                return false;
            }
            initialiser = Thread.currentThread();
        }
        try {
            initialiseQuietly();
        } finally {
            synchronized (STATE) {
                initialiser = null;
                initialised = true;
            }
        }
        return true;
    }

    /** True once after an initialisation during which another thread's load event went unscanned. */
    static boolean takeMissed() {
        synchronized (STATE) {
            boolean m = missed;
            missed = false;
            return m;
        }
    }

    /**
     * Initialises JNA's NativeLibrary without it running {@code /sbin/ldconfig -p} to build its search path
     * (a child process in the host, and the JDK's "process reaper" thread kept for the rest of its life):
     * the agent opens absolute paths only, so the search path is not needed. JNA reads
     * {@code jna.platform.library.path} once, in that class's initialiser; it is set only if the
     * application has not set it, and removed again at once.
     */
    private static void initialiseQuietly() {
        String key = "jna.platform.library.path";
        boolean set = System.getProperty(key) == null;
        if (set) {
            System.setProperty(key, "/usr/lib:/lib");
        }
        try {
            Class.forName("com.sun.jna.NativeLibrary", true, NativeLib.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        } finally {
            if (set) {
                System.clearProperty(key);
            }
        }
    }

    /** The function {@code name} defined by this very file, or null. */
    Function own(String name) {
        Function f = any(name);
        return f != null && range.contains(Pointer.nativeValue(f)) ? f : null;
    }

    /** The function {@code name} as the dynamic linker resolves it from this handle (file or dependencies), or null. */
    Function any(String name) {
        try {
            return lib.getFunction(name);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** The JNA library, for direct mapping. */
    NativeLibrary handle() {
        return lib;
    }

    static int call(Function f, Object... args) {
        return f.invokeInt(args);
    }

    static String string(Function f, Object... args) {
        return f == null ? null : f.invokeString(args, false);
    }
}
