package dev.berth.health;

import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import java.nio.charset.StandardCharsets;

/** The storage accepts a small write and its deletion, so pushes can land: readiness and {@code health.storagedriver}. */
public final class StorageProbe implements HealthCheck {

    private static final byte[] CONTENT = "ok".getBytes(StandardCharsets.UTF_8);

    private final StorageDriver storage;
    private final String name;

    /** @param driverName the driver's name in the configuration, as in {@code storagedriver_filesystem} */
    public StorageProbe(StorageDriver storage, String driverName) {
        this.storage = storage;
        this.name = "storagedriver_" + driverName;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void check() {
        storage.putContent(Layout.HEALTH_PROBE, CONTENT);
        storage.delete(Layout.HEALTH_PROBE);
    }
}
