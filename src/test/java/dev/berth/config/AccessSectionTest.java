package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code berth.access}: rules are read as written, and a rule that could never apply stops the start. */
class AccessSectionTest {

    @TempDir
    Path dir;

    private Config load(String access) throws Exception {
        Path file = dir.resolve("config.yml");
        Files.writeString(file, "berth:\n  access:\n" + access.indent(4));
        return new ConfigLoader(Path.of("data")).load(Optional.of(file), Map.of()).config();
    }

    @Test
    void readsRulesGroupsAndAdministrators() throws Exception {
        Config.AccessPolicy policy = load("""
                admins: [alice, '@ops']
                groups: {ops: [olga]}
                rules:
                  - {who: ['*'], repositories: ['${user}/**'], actions: [pull, push]}
                  - {who: ['@ops'], repositories: ['team/*'], actions: ['*']}
                """).access().orElseThrow();
        assertThat(policy.admins()).containsExactly("alice", "@ops");
        assertThat(policy.groups()).isEqualTo(Map.of("ops", List.of("olga")));
        assertThat(policy.rules()).extracting(Config.AccessRuleSettings::repositories)
                .containsExactly(List.of("${user}/**"), List.of("team/*"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rules: [{who: ['*'], repositories: [''], actions: [pull]}]"
                    + "| berth.access.rules[0].repositories: '' can match no repository",
            "rules: [{who: ['*'], repositories: ['Team/**'], actions: [pull]}]"
                    + "| 'Team/**' can match no repository",
            "rules: [{who: ['*'], repositories: ['a/**'], actions: [pull], extra: 1}]"
                    + "| berth.access.rules[0].extra: unknown key",
            "rules: [{who: ['@nobody'], repositories: ['a/**'], actions: [pull]}]"
                    + "| berth.access.rules[0].who: no group nobody in berth.access.groups",
            "admins: ['@ops']| berth.access.admins: no group ops",
    })
    void refusesRulesThatCouldNeverApply(String access, String message) {
        assertThatThrownBy(() -> load(access)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }
}
