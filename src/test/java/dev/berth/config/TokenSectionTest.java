package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenSectionTest {

    private static final String TOKEN = """
            auth:
              token:
                realm: https://auth.example.com/token
                service: registry.example.com
                issuer: auth.example.com
                rootcertbundle: /certs/bundle.pem
            """;

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Path.of("data"));

    private LoadedConfig load(String yaml, Map<String, String> environment) throws Exception {
        Path file = dir.resolve("config.yml");
        Files.writeString(file, yaml);
        return loader.load(Optional.of(file), environment);
    }

    @Test
    void readsDistributionsTokenSection() throws Exception {
        LoadedConfig loaded = load(TOKEN + """
                    jwks: /certs/jwks.json
                    signingalgorithms: [ES256, EdDSA]
                    autoredirect: true
                """, Map.of());
        Config.Token token = loaded.config().token().orElseThrow();
        assertThat(token.realm()).contains("https://auth.example.com/token");
        assertThat(token.service()).isEqualTo("registry.example.com");
        assertThat(token.issuer()).isEqualTo("auth.example.com");
        assertThat(token.rootCertBundle()).contains(Path.of("/certs/bundle.pem"));
        assertThat(token.jwks()).contains(Path.of("/certs/jwks.json"));
        assertThat(token.signingAlgorithms()).containsExactly("ES256", "EdDSA");
        assertThat(loaded.config().tokenService()).isEmpty();
        assertThat(loaded.warnings()).singleElement().asString().contains("auth.token.autoredirect");
    }

    @Test
    void takesTheSectionFromTheEnvironmentAsDistributionDoes() {
        Config config = loader.load(Optional.empty(), Map.of("REGISTRY_AUTH", "token",
                "REGISTRY_AUTH_TOKEN_REALM", "https://auth.example.com/token",
                "REGISTRY_AUTH_TOKEN_SERVICE", "registry", "REGISTRY_AUTH_TOKEN_ISSUER", "auth",
                "REGISTRY_AUTH_TOKEN_JWKS", "/jwks.json")).config();
        assertThat(config.token().orElseThrow().jwks()).contains(Path.of("/jwks.json"));
        assertThat(config.token().orElseThrow().signingAlgorithms()).contains("RS256", "ES256", "EdDSA")
                .doesNotContain("HS256");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "realm: https://auth.example.com/token|realm: ftp://a/t|auth.token.realm",
        "realm: https://auth.example.com/token|realm: relative/path|auth.token.realm",
        "realm: https://auth.example.com/token|x: y|auth.token.realm",
        "service: registry.example.com|x: y|auth.token.service",
        "issuer: auth.example.com|x: y|auth.token.issuer",
        "rootcertbundle: /certs/bundle.pem|x: y|auth.token.rootcertbundle",
        "rootcertbundle: /certs/bundle.pem|signingalgorithms: [HS256]|auth.token.signingalgorithms",
        "rootcertbundle: /certs/bundle.pem|signingalgorithms: [ES256, XS1]|auth.token.signingalgorithms"})
    void stopsOnMissingOrInvalidValuesNamingTheKey(String line, String replacement, String key) {
        String yaml = TOKEN.replace(line, replacement) + (replacement.startsWith("signing")
                ? "    jwks: /certs/jwks.json\n" : "");
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(key + ":");
    }

    @Test
    void takesHtpasswdAndTokenTogetherOnlyForItsOwnTokenService() {
        String both = TOKEN + "  htpasswd: {path: /auth/htpasswd}\n";
        assertThatThrownBy(() -> load(both, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("auth:");
        assertThatThrownBy(() -> load(TOKEN + "berth: {tokenservice: {enabled: true}}\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("berth.tokenservice.enabled:");
    }

    @Test
    void readsBerthsOwnTokenService() throws Exception {
        Config config = load("""
                auth:
                  htpasswd: {path: /auth/htpasswd}
                  token: {service: registry, issuer: berth}
                berth:
                  tokenservice: {enabled: true, expiration: 1h30m, key: /keys/token.pem}
                """, Map.of()).config();
        assertThat(config.token().orElseThrow().realm()).as("defaults to this server's /auth/token").isEmpty();
        assertThat(config.tokenService().orElseThrow().expiration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(config.tokenService().orElseThrow().key()).contains(Path.of("/keys/token.pem"));
        assertThat(config.htpasswd()).isPresent();
    }

    @Test
    void keepsTokensAliveAtLeastAMinute() {
        String yaml = """
                auth:
                  htpasswd: {path: /auth/htpasswd}
                  token: {service: registry, issuer: berth}
                berth:
                  tokenservice: {enabled: true, expiration: %s}
                """;
        for (String expiration : List.of("30s", "5 minutes", "300")) {
            assertThatThrownBy(() -> load(yaml.formatted(expiration), Map.of())).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("berth.tokenservice.expiration:");
        }
    }
}
