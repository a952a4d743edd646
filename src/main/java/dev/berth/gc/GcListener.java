package dev.berth.gc;

/** Hears about a collection as it runs; called on the collecting thread. */
public interface GcListener {

    /** {@code done} items of {@code phase} ("mark": repositories, "sweep": blobs) have been examined. */
    void progress(String phase, long done);

    void deleted(Deletion deletion);
}
