package dev.berth.gc;

import dev.berth.oci.InvalidValueException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.UploadId;
import dev.berth.registry.Registry;
import dev.berth.storage.FileInfo;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.UploadData;
import dev.berth.storage.layout.StoragePath.UploadRoot;
import dev.berth.storage.layout.StoragePath.UploadStartedAt;
import dev.berth.storage.layout.StoragePath.UploadsRoot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes uploads started longer ago than an age, as distribution's {@code storage.maintenance.uploadpurging}
 * does: a client that has not finished an upload in that time has given up on it. Thread-safe: all state is in
 * storage.
 */
public final class UploadPurge {

    private static final Logger LOG = LoggerFactory.getLogger(UploadPurge.class);

    private final StorageDriver driver;
    private final Registry registry;
    private final Clock clock;

    public UploadPurge(StorageDriver driver, Registry registry, Clock clock) {
        this.driver = driver;
        this.registry = registry;
        this.clock = clock;
    }

    /** Purges (or in a dry run, only logs) every upload older than {@code age}; returns how many. */
    public int purge(Duration age, boolean dryRun) {
        Instant cutoff = clock.instant().minus(age);
        int purged = 0;
        for (RepositoryName repository : registry.catalog().directories().repositories()) {
            for (String name : driver.list(Layout.key(new UploadsRoot(repository)))) {
                try {
                    UploadId id = new UploadId(name);
                    Optional<Instant> started = startedAt(repository, id);
                    if (started.isPresent() && started.get().isBefore(cutoff)) {
                        LOG.info("{} upload {} of {}, started {}", dryRun ? "would purge" : "purging", id, repository,
                                started.get());
                        if (!dryRun) {
                            driver.delete(Layout.key(new UploadRoot(repository, id)));
                        }
                        purged++;
                    }
                } catch (InvalidValueException e) {
                    // not an upload directory Berth or distribution wrote
                }
            }
        }
        return purged;
    }

    /** From {@code startedat}; from the data's last write when that is missing or unreadable. */
    private Optional<Instant> startedAt(RepositoryName repository, UploadId id) {
        try {
            String text = new String(driver.getContent(Layout.key(new UploadStartedAt(repository, id))),
                    StandardCharsets.UTF_8).strip();
            return Optional.of(Instant.parse(text));
        } catch (NotFoundException | DateTimeParseException e) {
            return driver.stat(Layout.key(new UploadData(repository, id))).map(FileInfo::modified);
        }
    }
}
