package dev.berth.cli;

import dev.berth.config.Config;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.time.Clock;
import java.util.regex.Pattern;

/** Turns a configuration into the objects that serve it: the composition root. */
final class Wiring {

    private Wiring() {
    }

    static StorageDriver storage(Config config) {
        return new FilesystemDriver(config.rootDirectory());
    }

    static Registry registry(Config config, StorageDriver storage, Clock clock) {
        return Registry.over(storage, config.deleteEnabled(),
                new ManifestRules(config.allowUrls().stream().map(Pattern::compile).toList(),
                        config.denyUrls().stream().map(Pattern::compile).toList()),
                clock);
    }
}
