package dev.berth.config;

import java.util.List;

/**
 * A configuration with the warnings that loading it produced (keys Berth does not act on).
 *
 * @param effective the configuration as YAML, defaults filled in and secrets masked, for {@code config check}
 */
public record LoadedConfig(Config config, List<String> warnings, String effective) {

    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
