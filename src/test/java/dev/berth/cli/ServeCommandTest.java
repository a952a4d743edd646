package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServeCommandTest {

    private static final Map<String, String> NAMED = Map.of("REGISTRY_CONFIGURATION_PATH", "/etc/registry/env.yml");

    /** As distribution: `registry serve FILE`, else the file REGISTRY_CONFIGURATION_PATH names, else none. */
    @Test
    void theConfigurationFileIsTheArgumentElseTheOneTheEnvironmentNames() {
        assertThat(ServeCommand.configPath(Optional.of(Path.of("arg.yml")), NAMED)).contains(Path.of("arg.yml"));
        assertThat(ServeCommand.configPath(Optional.empty(), NAMED)).contains(Path.of("/etc/registry/env.yml"));
        assertThat(ServeCommand.configPath(Optional.empty(), Map.of("REGISTRY_LOG_LEVEL", "debug"))).isEmpty();
    }
}
