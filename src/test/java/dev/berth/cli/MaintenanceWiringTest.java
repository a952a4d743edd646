package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.Config;
import dev.berth.config.ConfigLoader;
import dev.berth.gc.Periodically;
import dev.berth.registry.Registry;
import dev.berth.storage.StorageDriver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceWiringTest {

    @TempDir
    Path root;

    private List<Periodically> schedules(Map<String, String> environment) {
        Map<String, String> settings = new HashMap<>(environment);
        settings.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString());
        settings.put("REGISTRY_BERTH_GC_INTERVAL", "1h");
        Config config = new ConfigLoader(root).load(Optional.empty(), settings).config();
        StorageDriver storage = Wiring.storage(config);
        Registry registry = Wiring.registry(config, storage, Clock.systemUTC());
        return MaintenanceWiring.schedules(config, storage, registry,
                MaintenanceWiring.collection(config, storage, registry, Optional.empty()));
    }

    @Test
    void purgesUploadsAndCollectsGarbageOnSchedulesAsConfigured() {
        assertThat(schedules(Map.of())).hasSize(2);
        assertThat(schedules(Map.of("REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_ENABLED", "false"))).hasSize(1);
    }

    /** Read-only mode is for a garbage collection run outside the server: the server deletes nothing either. */
    @Test
    void runsNoScheduleInReadOnlyMode() {
        assertThat(schedules(Map.of("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true"))).isEmpty();
    }
}
