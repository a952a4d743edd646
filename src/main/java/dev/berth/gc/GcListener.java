package dev.berth.gc;

/** Hears about a collection as it runs: one call at a time, from whichever of the collection's threads. */
public interface GcListener {

    /** {@code done} items of {@code phase} ("mark": repositories, "sweep": blobs) have been examined. */
    void progress(String phase, long done);

    void deleted(Deletion deletion);

    /** {@code listener} called by one thread at a time, so that it need not be thread-safe itself. */
    static GcListener oneAtATime(GcListener listener) {
        return new GcListener() {
            @Override
            public synchronized void progress(String phase, long done) {
                listener.progress(phase, done);
            }

            @Override
            public synchronized void deleted(Deletion deletion) {
                listener.deleted(deletion);
            }
        };
    }
}
