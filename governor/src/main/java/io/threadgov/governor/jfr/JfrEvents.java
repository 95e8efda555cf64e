package io.threadgov.governor.jfr;

import io.threadgov.governor.Governor;
import io.threadgov.governor.Log;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Connects a governor to JDK Flight Recorder: {@link #install(Governor)} makes a {@link JfrEventSink} the
 * governor's event sink and registers the periodic {@code threadgov.Parallelism} event.
 *
 * <p>Nothing of JFR is started here. The periodic event is registered from a
 * {@link FlightRecorderListener#recorderInitialized} callback, which runs when the recorder comes up
 * (-XX:StartFlightRecording, {@code jcmd PID JFR.start}, or a {@code Recording} made in process), or at
 * once if it is up already. Event classes loaded before that are inert stubs until JFR instruments them.
 */
public final class JfrEvents {

    private JfrEvents() {
    }

    /**
     * Installs the JFR sink on {@code governor}; returns false (and counts the failure) when this JVM has no
     * usable JFR (module jdk.jfr missing or the recorder disabled), in which case nothing changes.
     */
    public static boolean install(Governor governor) {
        try {
            if (!FlightRecorder.isAvailable()) {
                return false;
            }
            governor.events(new JfrEventSink());
            ParallelismSampler sampler = new ParallelismSampler(governor);
            FlightRecorder.addListener(new FlightRecorderListener() {
                private boolean registered;

                @Override
                public synchronized void recorderInitialized(FlightRecorder recorder) {
                    if (registered) {
                        return;
                    }
                    registered = true;
                    try {
                        FlightRecorder.addPeriodicEvent(ParallelismEvent.class, sampler);
                    } catch (Throwable t) {
                        Log.failure("jfr periodic event", t);
                    }
                }
            });
            return true;
        } catch (Throwable t) {
            Log.failure("jfr install", t);
            return false;
        }
    }
}
