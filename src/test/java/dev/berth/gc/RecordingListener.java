package dev.berth.gc;

import java.util.ArrayList;
import java.util.List;

/** Remembers what a collection deleted; ignores progress. */
final class RecordingListener implements GcListener {

    final List<Deletion> deletions = new ArrayList<>();

    @Override
    public void progress(String phase, long done) {
    }

    @Override
    public void deleted(Deletion deletion) {
        deletions.add(deletion);
    }
}
