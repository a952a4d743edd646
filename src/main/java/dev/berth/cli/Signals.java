package dev.berth.cli;

import java.util.List;
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
        Thread stopping = Thread.ofPlatform().name("berth-stop").unstarted(stop);
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.getState() == Thread.State.NEW) {
                    stopping.start();
                }
            });
        }
    }
}
