package dev.berth.config;

import java.util.List;
import java.util.function.Supplier;

/** A configuration with the warnings that loading it produced (keys Berth does not act on). */
public final class LoadedConfig {

    private final Config config;
    private final List<String> warnings;
    private final Supplier<String> effective;

    LoadedConfig(Config config, List<String> warnings, Supplier<String> effective) {
        this.config = config;
        this.warnings = List.copyOf(warnings);
        this.effective = effective;
    }

    public Config config() {
        return config;
    }

    public List<String> warnings() {
        return warnings;
    }

    /**
     * The configuration as YAML, defaults filled in and secrets masked, for {@code config check}. Written only when
     * asked for: serving never needs it, and writing YAML cost its start-up several milliseconds.
     */
    public String effective() {
        return effective.get();
    }
}
