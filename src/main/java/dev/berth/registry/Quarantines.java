package dev.berth.registry;

import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath;
import dev.berth.storage.layout.StoragePath.Quarantine;
import java.util.List;

/**
 * Files the collector has set aside while it decides whether to delete them. Whoever misses a blob's data or a
 * link puts a quarantined copy back before concluding it is absent, so a blob the collector turns out to keep is
 * never missing for a reader, and one left behind by a crashed collection comes back on first use. Thread-safe:
 * every step is one atomic move. The moves are not made durable ({@link StorageDriver#rename}): the file already
 * is, and a crash that undoes one leaves it under a name that counts as present either way.
 */
public final class Quarantines {

    private final StorageDriver driver;
    private final boolean remote;

    public Quarantines(StorageDriver driver) {
        this.driver = driver;
        this.remote = driver.remote();
    }

    /** Whether {@code file} exists, a quarantined copy of it put back first. */
    boolean exists(StoragePath file) {
        return driver.statFile(Layout.key(file)).isPresent() || restore(file);
    }

    /**
     * As {@link #exists}, for a file that is usually absent (a blob or manifest a client is about to push). A miss
     * of {@link #exists} is a look and then a listing for a quarantined copy; on remote storage, where they are two
     * round trips one after the other, the listing alone answers.
     */
    boolean existsExpectingNot(StoragePath file) {
        return remote && Quarantine.covers(file) ? restore(file) : exists(file);
    }

    /** Moves {@code file} aside for collection {@code run}; false when there was no such file. */
    public boolean setAside(StoragePath file, String run) {
        try {
            driver.rename(Layout.key(file), Layout.key(new Quarantine(file, run)));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Puts every quarantined copy of {@code file} back; true when the file exists afterwards, whether or not it
     * had been looked at before.
     */
    public boolean restore(StoragePath file) {
        if (!Quarantine.covers(file)) {
            return false;
        }
        String key = Layout.key(file);
        List<String> names = driver.list(Layout.directory(file));
        if (names.isEmpty()) {
            // no directory, so neither the file nor a copy of it: the usual miss, answered without another look
            return false;
        }
        List<Quarantine> copies = names.stream().flatMap(name -> Quarantine.named(file, name).stream()).toList();
        if (copies.isEmpty()) {
            // the directory holds other files (a claim beside a blob's data): the listing already says whether the
            // file came meanwhile, and S3 is spared a request for each blob and manifest pushed
            return names.contains(key.substring(key.lastIndexOf('/') + 1));
        }
        for (Quarantine copy : copies) {
            try {
                driver.rename(Layout.key(copy), key);
            } catch (NotFoundException e) {
                // restored or deleted meanwhile by someone else
            }
        }
        return driver.statFile(key).isPresent();
    }

    /** Deletes what collection {@code run} set aside; whether a reader restored it first shows in the file itself. */
    public void discard(StoragePath file, String run) {
        driver.delete(Layout.key(new Quarantine(file, run)));
    }
}
