package dev.berth.gc;

import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageException;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.CollectorClock;
import java.time.Instant;
import java.util.Optional;

/**
 * The time as the storage sees it. Claims are dated by the storage (a file's modification time), so the cutoff
 * they are compared with must be too: this makes the comparison immune to clock skew between the collector's
 * host and the registry's or the storage's.
 */
final class StorageClock {

    private static final int ATTEMPTS = 8;

    private final StorageDriver driver;

    StorageClock(StorageDriver driver) {
        this.driver = driver;
    }

    /** Writes a file and reads back its modification time; another collection may delete it in between. */
    Instant now() {
        String key = Layout.key(new CollectorClock());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            driver.putContent(key, new byte[0]);
            Optional<Instant> written = driver.stat(key).map(info -> info.modified());
            driver.delete(key);
            if (written.isPresent()) {
                return written.get();
            }
        }
        throw new StorageException("cannot read the storage's clock: " + key + " keeps disappearing");
    }
}
