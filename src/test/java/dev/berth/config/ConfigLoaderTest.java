package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Path.of("data"));

    private Optional<Path> file(String yaml) throws Exception {
        Path file = dir.resolve("config.yml");
        Files.writeString(file, yaml);
        return Optional.of(file);
    }

    @Test
    void defaultsWithoutAFile() {
        Config config = loader.load(Optional.empty(), Map.of()).config();
        assertThat(config.rootDirectory()).isEqualTo(Path.of("data"));
        assertThat(config.address().port()).isEqualTo(5000);
        assertThat(config.address().host()).isEmpty();
        assertThat(config.address().socketAddress().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(config.address().socketAddress().getPort()).isEqualTo(5000);
        assertThat(config.deleteEnabled()).isFalse();
        assertThat(config.logLevel()).isEqualTo("info");
    }

    @Test
    void readsDistributionsFormat() throws Exception {
        LoadedConfig loaded = loader.load(file("""
                version: 0.1
                log:
                  level: debug
                storage:
                  filesystem:
                    rootdirectory: /var/lib/registry
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:5001
                validation:
                  manifests:
                    urls:
                      allow: ['^https://example\\.com/']
                """), Map.of());
        Config config = loaded.config();
        assertThat(config.rootDirectory()).isEqualTo(Path.of("/var/lib/registry"));
        assertThat(config.deleteEnabled()).isTrue();
        assertThat(config.address().host()).isEqualTo("127.0.0.1");
        assertThat(config.address().port()).isEqualTo(5001);
        assertThat(config.logLevel()).isEqualTo("debug");
        assertThat(config.allowUrls()).containsExactly("^https://example\\.com/");
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        Config config = loader.load(file("""
                storage:
                  filesystem: {rootdirectory: /a}
                http: {addr: ':5000'}
                """), Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:5001",
                "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/x",
                "REGISTRY_STORAGE_DELETE_ENABLED", "true",
                "PATH", "/usr/bin")).config();
        assertThat(config.address().port()).isEqualTo(5001);
        assertThat(config.rootDirectory()).isEqualTo(Path.of("/x"));
        assertThat(config.deleteEnabled()).isTrue();
    }

    @Test
    void readsTextSettingsAsWrittenWhereYamlWouldSeeABooleanOrANumber() throws Exception {
        Config config = loader.load(file("""
                auth:
                  htpasswd: {realm: yes, path: /etc/registry/htpasswd}
                log:
                  fields: {service: 0123, debug: on, ratio: 1.50, tags: [0x1F, no]}
                """), Map.of()).config();
        assertThat(config.htpasswd()).get().extracting(Config.Htpasswd::realm).isEqualTo("yes");
        assertThat(config.log().fields()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "service", "0123", "debug", "on", "ratio", "1.50", "tags", "0x1F,no"));
    }

    @Test
    void countsADurationWrittenAsANumberInNanosecondsAsDistributionDoes() throws Exception {
        Config config = loader.load(file("""
                http: {draintimeout: 1_000}
                storage:
                  maintenance:
                    uploadpurging: {age: 0x10, interval: 2h}
                """), Map.of()).config();
        assertThat(config.http().drainTimeout()).isEqualTo(Duration.ofNanos(1_000));
        assertThat(config.uploadPurging().age()).isEqualTo(Duration.ofNanos(16));
        assertThatThrownBy(() -> loader.load(file("http: {draintimeout: -5}\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.draintimeout")
                .hasMessageContaining("-5");
    }

    @Test
    void readsEnvironmentValuesAsDistributionDoes() {
        Config config = loader.load(Optional.empty(), Map.of(
                "REGISTRY_AUTH_HTPASSWD_REALM", "0777",
                "REGISTRY_AUTH_HTPASSWD_PATH", "/etc/registry/htpasswd",
                "REGISTRY_STORAGE_DELETE_ENABLED", "yes",
                "REGISTRY_LOG_FIELDS_SERVICE", "1e3")).config();
        assertThat(config.htpasswd()).get().extracting(Config.Htpasswd::realm).isEqualTo("0777");
        assertThat(config.deleteEnabled()).isTrue();
        assertThat(config.log().fields()).containsEntry("service", "1e3");
        assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "sure")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.delete.enabled");
    }

    @Test
    void acceptsIpv6Addresses() {
        Config config = loader.load(Optional.empty(), Map.of("REGISTRY_HTTP_ADDR", "[::1]:5002")).config();
        assertThat(config.address().host()).isEqualTo("::1");
        assertThat(config.address().port()).isEqualTo(5002);
        assertThat(config.address().socketAddress().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void warnsOfKeysItDoesNotActOnByName() throws Exception {
        LoadedConfig loaded = loader.load(file("""
                log: {hooks: [{type: mail}]}
                http: {addr: ':5000', secret: s3cr3t}
                notifications: {endpoints: []}
                redis: {addrs: [localhost:6379], password: hunter2}
                """), Map.of());
        assertThat(loaded.warnings()).hasSize(4)
                .anySatisfy(w -> assertThat(w).contains("log.hooks"))
                .anySatisfy(w -> assertThat(w).contains("notifications.endpoints"))
                .anySatisfy(w -> assertThat(w).contains("redis.addrs"))
                .anySatisfy(w -> assertThat(w).contains("redis.password"))
                .noneSatisfy(w -> assertThat(w).contains("s3cr3t"))
                .noneSatisfy(w -> assertThat(w).contains("hunter2"));
    }

    @Test
    void stopsOnInvalidValuesNamingTheKey() throws Exception {
        assertThatThrownBy(() -> loader.load(file("http: {addr: 'nonsense'}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("http.addr");
        assertThatThrownBy(() -> loader.load(file("storage: {delete: {enabled: maybe}}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.delete.enabled");
        assertThatThrownBy(() -> loader.load(file("log: {level: loud}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("log.level");
        assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of("REGISTRY_STORAGE", "s3")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.s3");
    }

    @Test
    void warnsOfAGracePeriodTooShortForCollectionsBesidePushes() throws Exception {
        assertThat(loader.load(file("berth: {gc: {grace: 0s}}"), Map.of()).warnings())
                .singleElement().satisfies(w -> assertThat(w).startsWith("berth.gc.grace is 0s"));
        assertThat(loader.load(file("berth: {gc: {grace: 10m}}"), Map.of()).warnings()).isEmpty();
    }

    /** Distribution in proxy mode is a read-only mirror; ignoring the section would make it a writable registry. */
    @Test
    void refusesAPullThroughCacheItCannotBe() throws Exception {
        assertThatThrownBy(() -> loader.load(file("proxy: {remoteurl: 'https://registry-1.docker.io'}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("proxy.remoteurl");
        assertThatThrownBy(() -> loader.load(Optional.empty(),
                Map.of("REGISTRY_PROXY_REMOTEURL", "https://registry-1.docker.io")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("proxy.remoteurl");
    }

    @Test
    void readsBerthsGarbageCollectionSection() throws Exception {
        LoadedConfig loaded = loader.load(file("""
                berth:
                  gc:
                    interval: 30m
                    deleteuntagged: true
                """), Map.of("REGISTRY_BERTH_GC_GRACE", "2h"));
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config().gc()).isEqualTo(new GcSettings(Optional.of(Duration.ofMinutes(30)),
                Duration.ofHours(2), true));
        assertThat(loader.load(Optional.empty(), Map.of()).config().gc())
                .isEqualTo(new GcSettings(Optional.empty(), Duration.ofHours(1), false));
        assertThat(loader.load(Optional.empty(), Map.of("REGISTRY_BERTH_GC_INTERVAL", "0")).config().gc().interval())
                .isEmpty();
        assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of("REGISTRY_BERTH_GC_INTERVAL", "often")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("berth.gc.interval");
    }

    @Test
    void readsUploadPurgingWithDistributionsDefaults() throws Exception {
        assertThat(loader.load(Optional.empty(), Map.of()).config().uploadPurging()).isEqualTo(UploadPurging.DEFAULT);
        LoadedConfig loaded = loader.load(file("""
                storage:
                  maintenance:
                    uploadpurging: {enabled: true, age: 2h, interval: 10m, dryrun: true}
                """), Map.of());
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config().uploadPurging())
                .isEqualTo(new UploadPurging(true, Duration.ofHours(2), Duration.ofMinutes(10), true));
    }
}
