package io.threadgov.agent;

import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import io.threadgov.governor.NativeControl;

/**
 * Starts the parts beside the pool governor: the native layer (through its isolating class loader), the
 * JFR events and the MXBean. Each is optional and independent: one that fails is one line on stderr.
 */
final class Extensions {

    static final String NATIVE_GOVERNOR = "io.threadgov.governor.natives.NativeGovernor";

    private Extensions() {
    }

    /** JFR and JMX: on the background thread, they cost tens of milliseconds and nothing waits on them. */
    static void startObservers(Governor governor, Faults faults) {
        try {
            faults.check("jfr");
            invokeStatic("io.threadgov.governor.jfr.JfrEvents", "install", governor);
        } catch (Throwable t) {
            Log.failure("jfr", t);
        }
        try {
            faults.check("jmx");
            invokeStatic("io.threadgov.governor.jmx.GovernorJmx", "installLazily", governor);
        } catch (Throwable t) {
            Log.failure("jmx", t);
        }
    }

    /**
     * The native layer, started by {@link DeferredStart}: on threadgov-init, or on the application's thread
     * that first creates a pool or loads a library (which waits for it), so a workload that loads BLAS at
     * once is governed from its first governed call. It costs little until a runtime is found (a scan of
     * the process's mapped files; JNA is touched only for a BLAS or OpenMP library).
     */
    static void startNative(Governor governor, Faults faults) {
        if (governor.config().nativeAuto()) {
            try {
                faults.check("native");
                NativeControl nc = createNativeGovernor(governor);
                if (nc != null) {
                    governor.natives(nc);
                    if (Thread.currentThread().getName().equals(Installer.INIT_THREAD)) {
                        faults.pause("slow-scan", Installer.SLOW_SCAN_MS);
                    }
                    nc.libraryLoaded(null);
                }
            } catch (Throwable t) {
                governor.natives(null);
                Log.failure("native discovery", t);
            }
        }
    }

    private static NativeControl createNativeGovernor(Governor governor) throws ReflectiveOperationException {
        ClassLoader loader = IsolatingClassLoader.forAgent();
        Class<?> c;
        try {
            c = Class.forName(NATIVE_GOVERNOR, true, loader);
        } catch (ClassNotFoundException e) {
            Log.debug("no native layer in this build");
            return null;
        }
        return (NativeControl) c.getConstructor(Governor.class).newInstance(governor);
    }

    private static void invokeStatic(String className, String method, Governor governor) throws ReflectiveOperationException {
        Class<?> c;
        try {
            c = Class.forName(className, true, Extensions.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            Log.debug(className + " not in this build");
            return;
        }
        c.getMethod(method, Governor.class).invoke(null, governor);
    }
}
