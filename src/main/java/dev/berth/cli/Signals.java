package dev.berth.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the server gracefully and the process then exits 0, as distribution's does. A JVM left
 * to its default would run shutdown hooks and exit 143, which orchestrators report as a failure.
 */
final class Signals {

    private Signals() {
    }

    /** Runs {@code stop} on its own thread at the first of those signals; later ones change nothing. */
    static void onTermination(Runnable stop) {
        Runnable stopOnce = startsOnce(Thread.ofPlatform().name("berth-stop").unstarted(stop));
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> stopOnce.run());
        }
    }

    /**
     * Starts {@code thread} at the first call. The JVM runs each signal's handler on a thread of its own, so two
     * signals at once (timeout(1) sends its child one and its process group another) call this together.
     */
    static Runnable startsOnce(Thread thread) {
        AtomicBoolean started = new AtomicBoolean();
        return () -> {
            if (started.compareAndSet(false, true)) {
                thread.start();
            }
        };
    }
}
