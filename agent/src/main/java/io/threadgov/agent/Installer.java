package io.threadgov.agent;

import io.threadgov.agent.instrument.Transformations;
import io.threadgov.governor.Config;
import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import io.threadgov.governor.LogLevel;
import io.threadgov.governor.Mode;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Starts the governor in this JVM. On the application's thread, only what must precede the
 * application: the configuration, the bootstrap bridge, the governor and its hooks, the class file
 * transformer (so pool classes are instrumented when they load), retransforming the instrumented classes
 * loaded before the agent, the report's shutdown hook and the native layer (whose first scan finds every
 * library mapped so far). The rest runs on one daemon thread, {@code threadgov-init}, beside the
 * application: preloading the hooks' classes, the JFR events and the MXBean.
 *
 * <p>This class must not name the bridge's types: it is verified before the bridge exists.
 *
 * <p>Each stage that fails is one line on stderr and the application runs on with what was installed.
 */
public final class Installer {

    /** Set once the agent is active in this JVM, whichever class loader loaded it. */
    public static final String LOADED_PROPERTY = "threadgov.agent.loaded";

    private Installer() {
    }

    static void install(String args, Instrumentation inst, boolean late) {
        long t0 = System.nanoTime();
        if (System.getProperty(LOADED_PROPERTY) != null) {
            System.err.println("threadgov: the agent is already loaded in this JVM ("
                    + System.getProperty(LOADED_PROPERTY) + "); this second load is ignored");
            return;
        }
        Config config;
        try {
            config = Config.parse(args, System.getProperties(), Runtime.getRuntime().availableProcessors());
        } catch (Throwable t) {
            System.err.println("threadgov: cannot read the configuration, the application runs on ungoverned: " + t);
            return;
        }
        Log.setLevel(config.log());
        for (String problem : config.problems()) {
            Log.warn(problem.startsWith("threadgov: ") ? problem.substring("threadgov: ".length()) : problem);
        }
        System.setProperty(LOADED_PROPERTY, late ? "attach" : "premain");
        if (config.mode() == Mode.OFF) {
            Log.info("mode=off: nothing installed");
            return;
        }
        Faults faults = new Faults(config.fault());
        try {
            faults.check("config");
        } catch (Throwable t) {
            Log.failure("config", t);
            return;
        }
        long tConfig = System.nanoTime();
        if (!BootstrapInjector.inject(inst)) {
            return;
        }
        long tBoot = System.nanoTime();
        Governor governor = new Governor(config);
        Governor.install(governor);
        try {
            if (config.enforcing()) {
                CommonPoolSizer.apply(config);
            }
        } catch (Throwable t) {
            Log.failure("common pool", t);
        }
        GovernorHooks.activate(governor, faults);
        List<Class<?>> loadedBefore = List.of();
        try {
            faults.check("instrumentation");
            loadedBefore = Transformations.register(inst);
        } catch (Throwable t) {
            GovernorHooks.deactivate();
            Log.failure("instrumentation", t);
        }
        if (config.gemmBlocks() || config.enforcing() && config.nativeAuto()) {
            // native BLAS calls are counted wherever they come from (Governor.nativeEnter), large dgemms cut in blocks
            try {
                if (config.gemmBlocks()) {
                    faults.check("gemm-blocks");
                }
                io.threadgov.agent.natives.NativeCallsTransformer.register(inst, config.gemmBlocks());
            } catch (Throwable t) {
                Log.failure(config.gemmBlocks() ? "gemm blocks" : "native calls", t);
            }
        }
        ReportWriter.register(governor, faults);
        if (config.scope() == io.threadgov.governor.BudgetScope.HOST && config.enforcing()) {
            // one budget for this user's JVMs on this host: the grant is applied as a budget set over JMX
            final io.threadgov.governor.jmx.GovernorControl control = new io.threadgov.governor.jmx.GovernorControl(governor);
            final io.threadgov.governor.host.HostBudget host = io.threadgov.governor.host.HostBudget.start(governor,
                    config.budget(), config.hostTable(), new java.util.function.IntConsumer() {
                        @Override
                        public void accept(int cores) {
                            control.applyBudget(cores, "host");
                        }
                    });
            if (host != null) {
                governor.host(new java.util.function.Supplier<java.util.Map<String, Object>>() {
                    @Override
                    public java.util.Map<String, Object> get() {
                        return host.record();
                    }
                });
            }
        }
        // Pool classes loaded before the agent (by another agent, such as OpenTelemetry's) are
        // retransformed here, before main: main could build its outer pool with the old code, whose
        // workers would never be known. java.lang.Runtime (always loaded) and the native layer's start
        // are left to DeferredStart: on threadgov-init, or on the first application thread that creates
        // a pool or loads a library, which waits for it; the native layer's first scan, after Runtime's
        // retransformation, finds what was loaded before.
        List<Class<?>> deferred = new java.util.ArrayList<>(1);
        List<Class<?>> now = new java.util.ArrayList<>(loadedBefore.size());
        for (Class<?> c : loadedBefore) {
            (c == Runtime.class ? deferred : now).add(c);
        }
        Transformations.retransform(inst, now);
        DeferredStart.schedule(new FinishStart(inst, deferred, governor, faults), new RescanNatives(governor));
        governor.startGate(DeferredStart.GATE); // ThreadGov's native calls wait for the start, as pool hooks do
        long t1 = System.nanoTime();
        Thread init = new Thread(new BackgroundInit(governor, faults, t1), INIT_THREAD);
        init.setDaemon(true);
        init.start();
        if (config.log().compareTo(LogLevel.INFO) >= 0) {
            Log.info("governing with budget " + config.budget() + " (" + config.budgetSource() + "), " + config
                    + (late ? ", attached late" : ""));
        }
        if (Log.debugEnabled()) {
            Log.debug("started in " + (t1 - t0) / 1000 + " us on the application's thread (config "
                    + (tConfig - t0) / 1000 + ", bootstrap bridge " + (tBoot - tConfig) / 1000 + ", governor and transformer "
                    + (t1 - tBoot) / 1000 + ")");
        }
    }

    /** The deferred part of the start (see {@link DeferredStart}). */
    private static final class FinishStart implements Runnable {
        private final Instrumentation inst;
        private final List<Class<?>> loadedBefore;
        private final Governor governor;
        private final Faults faults;

        FinishStart(Instrumentation inst, List<Class<?>> loadedBefore, Governor governor, Faults faults) {
            this.inst = inst;
            this.loadedBefore = loadedBefore;
            this.governor = governor;
            this.faults = faults;
        }

        @Override
        public void run() {
            if (Thread.currentThread().getName().equals(INIT_THREAD)) {
                faults.pause("slow-start", SLOW_START_MS);
            }
            long t = System.nanoTime();
            Transformations.retransform(inst, loadedBefore);
            long tRetransform = System.nanoTime();
            Extensions.startNative(governor, faults);
            if (Log.debugEnabled()) {
                Log.debug("start finished on " + Thread.currentThread().getName() + ": retransform "
                        + (tRetransform - t) / 1000 + " us, native layer " + (System.nanoTime() - tRetransform) / 1000 + " us");
            }
        }
    }

    /**
     * After the deferred start, when a library hook went on without it (see {@link DeferredStart}): the
     * native layer reads the process's maps again, so a library loaded meanwhile is governed.
     */
    private static final class RescanNatives implements Runnable {
        private final Governor governor;

        RescanNatives(Governor governor) {
            this.governor = governor;
        }

        @Override
        public void run() {
            try {
                governor.natives().libraryLoaded(null);
            } catch (Throwable t) {
                Log.failure("native discovery", t);
            }
        }
    }

    static final String INIT_THREAD = "threadgov-init";

    /** Test-only {@code fault=slow-start}: threadgov-init holds the deferred start this long. */
    static final long SLOW_START_MS = 1500;
    /** Test-only {@code fault=slow-scan}: longer than a pool hook waits (DeferredStart.POOL_WAIT_MS). */
    static final long SLOW_SCAN_MS = 3000;

    /** How long threadgov-init waits before it finishes the start, unless the application needs it sooner. */
    static final long START_DELAY_MS = 150;

    /** What runs on {@code threadgov-init} (a class, not a lambda: no invokedynamic bootstrap at start). */
    private static final class BackgroundInit implements Runnable {
        private final Governor governor;
        private final Faults faults;
        private final long t1;

        BackgroundInit(Governor governor, Faults faults, long t1) {
            this.governor = governor;
            this.faults = faults;
            this.t1 = t1;
        }

        @Override
        public void run() {
            try {
                DeferredStart.awaitNeedOrTimeout(START_DELAY_MS);
            } catch (InterruptedException e) {
                return;
            }
            DeferredStart.ensureDone();
            Preloader.preload();
            Extensions.startObservers(governor, faults);
            if (Log.debugEnabled()) {
                Log.debug("initialised in the background in " + (System.nanoTime() - t1) / 1000 + " us");
            }
        }
    }
}
