package io.threadgov.agent;

import io.threadgov.agent.instrument.Transformations;
import io.threadgov.bootstrap.Bridge;
import io.threadgov.governor.Config;
import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import io.threadgov.governor.LogLevel;
import io.threadgov.governor.Mode;
import java.lang.instrument.Instrumentation;

/**
 * Starts the governor in this JVM: configuration, the governor itself, the hooks behind the bootstrap
 * bridge, the instrumentation of the JDK's pools and of native loads, the native layer, the report.
 * Each stage that fails is one line on stderr and the application runs on with what was installed.
 */
public final class Installer {

    /** Set once the agent is active in this JVM, whichever class loader loaded it. */
    public static final String LOADED_PROPERTY = "threadgov.agent.loaded";

    private Installer() {
    }

    static void install(String args, Instrumentation inst, boolean late) {
        long t0 = System.nanoTime();
        if (System.getProperty(LOADED_PROPERTY) != null || Governor.current() != null) {
            System.err.println("threadgov: the agent is already loaded in this JVM; this second load is ignored");
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
            Log.info("mode=off: nothing instrumented");
            return;
        }
        Faults faults = new Faults(config.fault());
        Governor governor = new Governor(config);
        Governor.install(governor);
        Preloader.preload();
        try {
            faults.check("config");
            if (config.enforcing()) {
                CommonPoolSizer.apply(config);
            }
        } catch (Throwable t) {
            Log.failure("common pool", t);
        }
        long tp = System.nanoTime();
        Bridge.hooks = new GovernorHooks(governor, faults);
        try {
            faults.check("instrumentation");
            Transformations.install(inst);
        } catch (Throwable t) {
            Bridge.hooks = null;
            Log.failure("instrumentation", t);
        }
        long t1 = System.nanoTime();
        Extensions.start(governor, faults);
        ReportWriter.register(governor, faults);
        if (Log.debugEnabled()) {
            Log.debug("started in " + (System.nanoTime() - t0) / 1000 + " us (before hooks " + (tp - t0) / 1000
                    + " us, instrumentation " + (t1 - tp) / 1000 + " us)");
        }
        if (config.log().compareTo(LogLevel.INFO) >= 0) {
            Log.info("governing with budget " + config.cores() + " (" + config.coresSource() + "), " + config
                    + (late ? ", attached late" : ""));
        }
    }
}
