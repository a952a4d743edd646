package dev.berth.health;

import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import java.nio.charset.StandardCharsets;

/**
 * The storage answers as the registry needs it to: readiness and {@code health.storagedriver}. A registry that
 * takes pushes must be able to write, so the probe writes a small file and deletes it. A read-only one
 * ({@code storage.maintenance.readonly}), perhaps on a read-only volume, need only read, so its probe lists the
 * registry's directory, as distribution's check only reads.
 */
public final class StorageProbe implements HealthCheck {

    private static final byte[] CONTENT = "ok".getBytes(StandardCharsets.UTF_8);

    private final StorageDriver storage;
    private final String name;
    private final boolean writes;

    /**
     * @param driverName the driver's name in the configuration, as in {@code storagedriver_filesystem}
     * @param writes     whether the registry writes: the probe then writes too, else it only reads
     */
    public StorageProbe(StorageDriver storage, String driverName, boolean writes) {
        this.storage = storage;
        this.name = "storagedriver_" + driverName;
        this.writes = writes;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void check() {
        if (writes) {
            storage.putContent(Layout.HEALTH_PROBE, CONTENT);
            storage.delete(Layout.HEALTH_PROBE);
        } else {
            storage.list(Layout.V2);
        }
    }
}
