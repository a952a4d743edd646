package dev.berth.config;

import java.util.List;

/** A configuration with the warnings that loading it produced (keys Berth does not act on). */
public record LoadedConfig(Config config, List<String> warnings) {

    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
