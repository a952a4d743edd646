package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log, http, health and maintenance sections, the effective configuration, and overrides of list items. */
class OperationsConfigTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Path.of("data"));

    private LoadedConfig load(String yaml, Map<String, String> environment) throws Exception {
        Path file = dir.resolve("config.yml");
        Files.writeString(file, yaml);
        return loader.load(Optional.of(file), environment);
    }

    private LoadedConfig load(String yaml) throws Exception {
        return load(yaml, Map.of());
    }

    /** The configuration the registry:2 image ships, which must start Berth without a warning. */
    @Test
    void acceptsTheDefaultConfigurationOfTheRegistryImage() throws Exception {
        LoadedConfig loaded = load("""
                version: 0.1
                log:
                  fields:
                    service: registry
                storage:
                  cache:
                    blobdescriptor: inmemory
                  filesystem:
                    rootdirectory: /var/lib/registry
                http:
                  addr: :5000
                  headers:
                    X-Content-Type-Options: [nosniff]
                health:
                  storagedriver:
                    enabled: true
                    interval: 10s
                    threshold: 3
                """);
        assertThat(loaded.warnings()).isEmpty();
        Config config = loaded.config();
        assertThat(config.log().fields()).containsExactly(Map.entry("service", "registry"));
        assertThat(config.http().headers()).containsExactly(Map.entry("X-Content-Type-Options", List.of("nosniff")));
        assertThat(config.health().storageDriver())
                .contains(new HealthSettings.Schedule(Duration.ofSeconds(10), 3));
    }

    @Test
    void readsTheOperationsSections() throws Exception {
        Config config = load("""
                log:
                  formatter: json
                  accesslog: {disabled: true}
                storage:
                  maintenance: {readonly: {enabled: true}}
                http:
                  prefix: /mirror/
                  host: HTTPS://Registry.Example.com:8443/sub/
                  relativeurls: true
                  draintimeout: 1m30s
                  debug:
                    addr: 127.0.0.1:5001
                    prometheus: {enabled: true}
                health:
                  file: [{file: /tmp/out-of-rotation}]
                  tcp: [{addr: 'db:5432', timeout: 500ms, interval: 2s, threshold: 2}]
                  http: [{uri: 'http://auth.local/ping', statuscode: 204, headers: {Authorization: [Basic x]}}]
                """).config();
        assertThat(config.log()).isEqualTo(new LogSettings(LogSettings.Format.JSON, Map.of(), false));
        assertThat(config.readOnly()).isTrue();
        HttpSettings http = config.http();
        assertThat(http.prefix()).isEqualTo("/mirror");
        assertThat(http.host()).contains(URI.create("https://registry.example.com:8443/sub"));
        assertThat(http.relativeUrls()).isTrue();
        assertThat(http.drainTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(http.debug()).contains(new HttpSettings.Debug(new Address("127.0.0.1", 5001),
                Optional.of("/metrics")));
        HealthSettings health = config.health();
        assertThat(health.storageDriver()).isEmpty();
        assertThat(health.files()).containsExactly(new HealthSettings.FileCheck(Path.of("/tmp/out-of-rotation"),
                new HealthSettings.Schedule(Duration.ofSeconds(10), 1)));
        assertThat(health.tcp()).containsExactly(new HealthSettings.TcpCheck("db:5432", Duration.ofMillis(500),
                new HealthSettings.Schedule(Duration.ofSeconds(2), 2)));
        assertThat(health.http()).singleElement().satisfies(check -> {
            assertThat(check.status()).isEqualTo(204);
            assertThat(check.headers()).containsEntry("Authorization", List.of("Basic x"));
        });
    }

    @Test
    void defaultsSuitAPlainRegistry() throws Exception {
        Config config = load("version: 0.1").config();
        assertThat(config.log()).isEqualTo(new LogSettings(LogSettings.Format.TEXT, Map.of(), true));
        assertThat(config.http().prefix()).isEmpty();
        assertThat(config.http().host()).isEmpty();
        assertThat(config.http().relativeUrls()).isFalse();
        assertThat(config.http().drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.http().debug()).isEmpty();
        assertThat(config.readOnly()).isFalse();
        assertThat(config.health()).isEqualTo(new HealthSettings(Optional.empty(), List.of(), List.of(), List.of()));
    }

    @Test
    void emptyValuesMeanTheDefault() throws Exception {
        Config config = load("{log: {level: '', formatter: ''}, http: {draintimeout: ''}}").config();
        assertThat(config.logLevel()).isEqualTo("info");
        assertThat(config.log().format()).isEqualTo(LogSettings.Format.TEXT);
        assertThat(config.http().drainTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theDeprecatedLoglevelStillSetsTheLevel() throws Exception {
        assertThat(load("loglevel: debug").config().logLevel()).isEqualTo("debug");
        assertThat(load("{loglevel: debug, log: {level: warn}}").config().logLevel()).isEqualTo("warn");
    }

    @Test
    void stopsOnInvalidValuesNamingTheKey() {
        assertThatThrownBy(() -> load("version: 0.2")).hasMessageStartingWith("version:");
        assertThatThrownBy(() -> load("log: {formatter: xml}")).hasMessageStartingWith("log.formatter:");
        assertThatThrownBy(() -> load("log: {accesslog: {disabled: sometimes}}"))
                .hasMessageStartingWith("log.accesslog.disabled:");
        assertThatThrownBy(() -> load("http: {draintimeout: soon}")).hasMessageStartingWith("http.draintimeout:");
        assertThatThrownBy(() -> load("http: {prefix: 'no-slash'}")).hasMessageStartingWith("http.prefix:");
        assertThatThrownBy(() -> load("http: {host: 'ftp://registry.example.com'}"))
                .hasMessageStartingWith("http.host:");
        assertThatThrownBy(() -> load("http: {net: unix, addr: /run/registry.sock}"))
                .hasMessageStartingWith("http.net:");
        assertThatThrownBy(() -> load("http: {debug: {addr: localhost}}")).hasMessageStartingWith("http.debug.addr:");
        assertThatThrownBy(() -> load("health: {storagedriver: {enabled: true, threshold: 0}}"))
                .hasMessageStartingWith("health.storagedriver.threshold:");
        assertThatThrownBy(() -> load("health: {tcp: [{timeout: 1s}]}")).hasMessageStartingWith("health.tcp[0].addr:");
        assertThatThrownBy(() -> load("health: {http: [{uri: 'ftp://x/'}]}"))
                .hasMessageStartingWith("health.http[0].uri:");
        assertThatThrownBy(() -> load("storage: {maintenance: {readonly: {enabled: 1}}}"))
                .hasMessageStartingWith("storage.maintenance.readonly.enabled:");
    }

    /** distribution resolves its URLs against http.host's as relative references: the last segment goes. */
    @Test
    void keepsOfTheHostsPathWhatDistributionPutsBeforeTheUrlsItHandsOut() throws Exception {
        assertThat(load("http: {host: 'https://r.example.com/sub'}").config().http().host())
                .contains(URI.create("https://r.example.com"));
        assertThat(load("http: {host: 'https://r.example.com/a/b/'}").config().http().host())
                .contains(URI.create("https://r.example.com/a/b"));
    }

    /** Configurations distribution starts with, doing without what it cannot use, as distribution does. */
    @Test
    void ignoresWithAWarningWhatDistributionIgnores() throws Exception {
        for (String host : List.of("registry.example.com", "registry.example.com:5000")) {
            LoadedConfig loaded = load("http: {host: '" + host + "'}");
            assertThat(loaded.config().http().host()).as(host).isEmpty();
            assertThat(loaded.warnings()).singleElement().asString().startsWith("http.host " + host);
            assertThat(loaded.effective()).as("what config check prints").doesNotContain(host);
        }
        LoadedConfig metricsNowhere = load("http: {debug: {prometheus: {enabled: true}}}");
        assertThat(metricsNowhere.config().http().debug()).isEmpty();
        assertThat(metricsNowhere.warnings()).singleElement().asString().contains("http.debug.addr");
        assertThat(load("http: {debug: {addr: ''}}").config().http().debug()).isEmpty();
        assertThat(load("http: {headers: {X-Empty: [~]}}").config().http().headers())
                .containsEntry("X-Empty", List.of(""));
        assertThat(load("log: {fields: {app: {name: registry, zone: [a, b]}, env: prod}}").config().log().fields())
                .containsOnly(Map.entry("app.name", "registry"), Map.entry("app.zone", "a,b"),
                        Map.entry("env", "prod"));
        assertThatThrownBy(() -> load("log: {fields: [a, b]}")).hasMessageStartingWith("log.fields:");
    }

    @Test
    void environmentVariablesReachItemsOfLists() throws Exception {
        Config config = load("health: {tcp: [{addr: 'a:1'}]}", Map.of(
                "REGISTRY_HEALTH_TCP_0_ADDR", "b:2",
                "REGISTRY_HEALTH_TCP_1_ADDR", "c:3",
                "REGISTRY_HTTP_DRAINTIMEOUT", "30s",
                "REGISTRY_LOG_ACCESSLOG_DISABLED", "true")).config();
        assertThat(config.health().tcp()).extracting(HealthSettings.TcpCheck::address).containsExactly("b:2", "c:3");
        assertThat(config.http().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.log().accessLog()).isFalse();
        assertThatThrownBy(() -> load("health: {tcp: [{addr: 'a:1'}]}", Map.of("REGISTRY_HEALTH_TCP_5_ADDR", "x:1")))
                .hasMessageContaining("REGISTRY_HEALTH_TCP_5_ADDR");
    }

    @Test
    void theEffectiveConfigurationHasDefaultsAndNoSecrets() throws Exception {
        String effective = load("""
                http:
                  secret: http-s3cret
                  headers: {X-Content-Type-Options: [nosniff]}
                storage:
                  filesystem: {rootdirectory: /srv/registry}
                redis: {password: redis-s3cret}
                proxy: {username: me, password: proxy-s3cret}
                notifications:
                  endpoints:
                    - name: listener
                      url: https://hooks.example.com/
                      headers: {Authorization: [Bearer hook-s3cret]}
                    - name: basic
                      url: https://hook:url-s3cret@hooks.example.com/events
                """, Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "true")).effective();
        assertThat(effective).doesNotContain("s3cret")
                .contains("rootdirectory: /srv/registry")
                .contains("addr: :5000", "draintimeout: 5s", "level: info", "formatter: text")
                .contains("enabled: true")
                .contains("nosniff")
                .contains("username: me")
                .contains("secret: '*****'")
                .contains("url: https://*****@hooks.example.com/events");
    }
}
