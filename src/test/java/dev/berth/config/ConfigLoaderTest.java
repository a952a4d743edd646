package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    /** As distribution: `registry serve FILE`, else the file REGISTRY_CONFIGURATION_PATH names, else defaults. */
    @Test
    void readsTheFileTheArgumentNamesElseTheOneTheEnvironmentNames() throws Exception {
        Path named = dir.resolve("env.yml");
        Files.writeString(named, "http: {addr: '127.0.0.1:5002'}\n");
        Map<String, String> environment = Map.of("REGISTRY_CONFIGURATION_PATH", named.toString());

        assertThat(loader.load(Optional.empty(), environment).config().address().port()).isEqualTo(5002);
        assertThat(loader.load(file("http: {addr: '127.0.0.1:5003'}"), environment).config().address().port())
                .isEqualTo(5003);
        assertThat(loader.load(Optional.empty(), Map.of("REGISTRY_LOG_LEVEL", "debug")).config().address().port())
                .isEqualTo(5000);
        assertThatThrownBy(() -> loader.load(Optional.empty(),
                Map.of("REGISTRY_CONFIGURATION_PATH", dir.resolve("missing.yml").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.yml");
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
                health:
                  storagedriver: {enabled: true, interval: 0x10}
                """), Map.of()).config();
        assertThat(config.http().drainTimeout()).isEqualTo(Duration.ofNanos(1_000));
        assertThat(config.health().storageDriver()).get().extracting(HealthSettings.Schedule::interval)
                .isEqualTo(Duration.ofNanos(16));
        assertThatThrownBy(() -> loader.load(file("http: {draintimeout: -5}\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.draintimeout")
                .hasMessageContaining("-5");
    }

    /**
     * distribution refuses a bare number for upload purging's durations, and Berth for its own: as nanoseconds,
     * {@code age: 10} would purge every upload in progress and {@code interval: 86400} keep a core busy.
     */
    @Test
    void refusesADurationWithoutItsUnitWhereDistributionDoesAndInItsOwnSection() throws Exception {
        for (String yaml : List.of("storage: {maintenance: {uploadpurging: {age: 10}}}",
                "storage: {maintenance: {uploadpurging: {interval: 86400}}}", "berth: {gc: {grace: 3600}}",
                "berth: {gc: {interval: 0x10}}", "storage: {maintenance: {uploadpurging: {age: '10'}}}",
                "berth: {gc: {interval: \"3600\"}}", "storage: {maintenance: {uploadpurging: {age: 0}}}")) {
            assertThatThrownBy(() -> loader.load(file(yaml), Map.of())).as(yaml)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("with its unit");
        }
        assertThatThrownBy(() -> loader.load(Optional.empty(),
                Map.of("REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE", "10")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.maintenance.uploadpurging.age");
        assertThat(loader.load(file("storage: {maintenance: {uploadpurging: {age: 10m, interval: 0}}}"), Map.of())
                .config().uploadPurging()).isEqualTo(new UploadPurging(true, Duration.ofMinutes(10),
                UploadPurging.DEFAULT.interval(), false));
    }

    /** An authentication section written without settings is a broken one: distribution refuses to start too. */
    @Test
    void refusesAnAuthenticationSchemeWrittenWithoutSettingsRatherThanRunningOpen() throws Exception {
        assertThatThrownBy(() -> loader.load(file("auth:\n  htpasswd:\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.htpasswd.path");
        assertThatThrownBy(() -> loader.load(file("auth:\n  token:\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.token.realm");
    }

    /** distribution reads auth: htpasswd as the scheme without settings, and refuses it: no open registry. */
    @Test
    void readsASectionThatOnlyNamesItsImplementationAsDistributionDoes() throws Exception {
        assertThatThrownBy(() -> loader.load(file("auth: htpasswd"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.htpasswd.path");
        assertThatThrownBy(() -> loader.load(file("auth: token"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.token.realm");
        assertThatThrownBy(() -> loader.load(file("auth: silly"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.silly");
        assertThat(loader.load(file("auth: none"), Map.of()).config().htpasswd()).isEmpty();
        assertThat(loader.load(file("storage: filesystem"), Map.of()).config().rootDirectory())
                .isEqualTo(Path.of("/var/lib/registry"));
    }

    @Test
    void takesAuthNoneForNoAuthenticationAsDistributionDoes() throws Exception {
        LoadedConfig none = loader.load(file("auth: {none: {}}"), Map.of());
        assertThat(none.warnings()).isEmpty();
        assertThat(none.config().htpasswd()).isEmpty();
        assertThat(none.config().token()).isEmpty();
        assertThat(loader.load(Optional.empty(), Map.of("REGISTRY_AUTH", "none")).config().htpasswd()).isEmpty();
        assertThatThrownBy(() -> loader.load(file("auth: {none: {}, htpasswd: {path: /x}}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.none");
    }

    @Test
    void readsYamlsOneLetterBooleansAsDistributionDoes() throws Exception {
        assertThat(loader.load(file("storage: {delete: {enabled: Y}}"), Map.of()).config().deleteEnabled()).isTrue();
        assertThat(loader.load(file("storage: {delete: {enabled: y}}"), Map.of("REGISTRY_STORAGE_DELETE_ENABLED",
                "n")).config().deleteEnabled()).isFalse();
        assertThatThrownBy(() -> loader.load(file("storage: {delete: {enabled: 'y'}}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.delete.enabled");
        assertThat(loader.load(file("auth: {htpasswd: {realm: n, path: /x}}"), Map.of()).config().htpasswd())
                .get().extracting(Config.Htpasswd::realm).isEqualTo("n");
    }

    /** distribution's filesystem driver stores under /var/lib/registry when it is named without a directory. */
    @Test
    void storesWhereDistributionDoesWhenTheFilesystemIsNamedWithoutADirectory() throws Exception {
        for (String yaml : List.of("storage: {filesystem: }", "storage: {filesystem: {}}",
                "storage: {filesystem: {rootdirectory: ''}, delete: {enabled: true}}")) {
            LoadedConfig loaded = loader.load(file(yaml), Map.of());
            assertThat(loaded.config().rootDirectory()).as(yaml).isEqualTo(Path.of("/var/lib/registry"));
            assertThat(loaded.warnings()).as(yaml).isEmpty();
        }
    }

    @Test
    void letsManifestsCarryAnyUrlOnceValidationIsDisabledAsDistributionDoes() throws Exception {
        String rules = "  manifests: {urls: {allow: ['^https://other\\.com/'], deny: ['x']}}\n";
        Config disabled = loader.load(file("validation:\n  disabled: true\n" + rules), Map.of()).config();
        assertThat(disabled.allowUrls()).containsExactly(ConfigLoader.ANY_URL);
        assertThat(disabled.denyUrls()).isEmpty();
        // the deprecated flag can turn validation on, never off
        Config deprecated = loader.load(file("validation:\n  enabled: false\n" + rules), Map.of()).config();
        assertThat(deprecated.allowUrls()).containsExactly("^https://other\\.com/");
        assertThat(deprecated.denyUrls()).containsExactly("x");
        assertThat(loader.load(file("validation: {enabled: true, disabled: true}"), Map.of()).warnings()).isEmpty();
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
                middleware: {storage: [{name: cloudfront}]}
                redis: {addrs: [localhost:6379], password: hunter2}
                """), Map.of());
        assertThat(loaded.warnings()).hasSize(4)
                .anySatisfy(w -> assertThat(w).contains("log.hooks"))
                .anySatisfy(w -> assertThat(w).contains("middleware.storage"))
                .anySatisfy(w -> assertThat(w).contains("redis.addrs"))
                .anySatisfy(w -> assertThat(w).contains("redis.password"))
                .noneSatisfy(w -> assertThat(w).contains("s3cr3t"))
                .noneSatisfy(w -> assertThat(w).contains("hunter2"));
    }

    @Test
    void readsNotificationEndpointsWithDistributionsDefaults() throws Exception {
        LoadedConfig loaded = loader.load(file("""
                notifications:
                  events: {includereferences: true}
                  endpoints:
                    - name: audit
                      url: https://hooks.example.com/events
                      headers: {Authorization: [Bearer t0ken]}
                      timeout: 500ms
                      threshold: 5
                      backoff: 2s
                      ignoredmediatypes: [application/octet-stream]
                      ignore: {mediatypes: [application/vnd.oci.image.index.v1+json], actions: [pull]}
                    - name: off
                      disabled: true
                      url: http://127.0.0.1:1/
                    - name: plain
                      url: http://127.0.0.1:5003/callback
                      timeout: 0
                      threshold: 0
                """), Map.of());
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config().notifications().includeReferences()).isTrue();
        List<NotificationSettings.Endpoint> endpoints = loaded.config().notifications().endpoints();
        assertThat(endpoints).extracting(NotificationSettings.Endpoint::name).containsExactly("audit", "plain");
        NotificationSettings.Endpoint audit = endpoints.getFirst();
        assertThat(audit.url()).hasToString("https://hooks.example.com/events");
        assertThat(audit.headers()).containsExactly(Map.entry("Authorization", List.of("Bearer t0ken")));
        assertThat(audit.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(audit.threshold()).isEqualTo(5);
        assertThat(audit.backoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(audit.ignoredMediaTypes()).containsExactlyInAnyOrder("application/octet-stream",
                "application/vnd.oci.image.index.v1+json");
        assertThat(audit.ignoredActions()).containsExactly("pull");
        // what distribution takes for a value left out or not positive
        NotificationSettings.Endpoint plain = endpoints.get(1);
        assertThat(plain.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(plain.threshold()).isEqualTo(10);
        assertThat(plain.backoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(plain.headers()).isEmpty();

        assertThatThrownBy(() -> loader.load(file("notifications: {endpoints: [{name: x}]}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("notifications.endpoints[0].url");
        assertThatThrownBy(() -> loader.load(file("notifications: {endpoints: [{name: x, url: 'ftp://h/'}]}"),
                Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("notifications.endpoints[0].url");
        assertThat(loader.load(Optional.empty(), Map.of()).config().notifications())
                .isEqualTo(new NotificationSettings(List.of(), false));
    }

    @Test
    void stopsOnInvalidValuesNamingTheKey() throws Exception {
        assertThatThrownBy(() -> loader.load(file("http: {addr: 'nonsense'}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("http.addr");
        assertThatThrownBy(() -> loader.load(file("storage: {delete: {enabled: maybe}}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.delete.enabled");
        assertThatThrownBy(() -> loader.load(file("log: {level: loud}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("log.level");
        assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of("REGISTRY_STORAGE", "azure")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.azure");
        assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of("REGISTRY_STORAGE", "s3")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.s3.region");
        assertThatThrownBy(() -> loader.load(file("storage: {s3: {region: x, bucket: b, chunksize: 1048576}}"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.s3.chunksize");
        assertThatThrownBy(() -> loader.load(file("storage: {s3: {region: x, bucket: b, accesskey: k}}"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.s3.secretkey");
        assertThatThrownBy(() -> loader.load(file("""
                storage:
                  filesystem: {rootdirectory: /srv}
                  s3: {region: x, bucket: b}
                """), Map.of())).isInstanceOf(ConfigException.class).hasMessageStartingWith("storage");
    }

    @Test
    void readsTheCatalogsLargestPageFromTheFileOrTheEnvironment() throws Exception {
        assertThat(loader.load(Optional.empty(), Map.of()).config().catalogMaxEntries()).isEmpty();
        LoadedConfig fromFile = loader.load(file("catalog: {maxentries: 250}"), Map.of());
        assertThat(fromFile.config().catalogMaxEntries()).contains(250);
        assertThat(fromFile.warnings()).isEmpty();
        assertThat(loader.load(file("catalog: {maxentries: 250}"), Map.of("REGISTRY_CATALOG_MAXENTRIES", "5000"))
                .config().catalogMaxEntries()).contains(5000);
        assertThatThrownBy(() -> loader.load(file("catalog: {maxentries: 0}"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("catalog.maxentries");
    }

    @Test
    void readsTheS3DriverAsDistributionDocumentsIt() throws Exception {
        LoadedConfig loaded = loader.load(file("""
                storage:
                  s3:
                    region: eu-west-1
                    regionendpoint: minio.internal:9000
                    secure: false
                    bucket: images
                    accesskey: AKIA
                    secretkey: shh
                    rootdirectory: /registry
                    chunksize: 16777216
                    storageclass: reduced_redundancy
                    objectacl: bucket-owner-full-control
                    redirectendpoint: https://images.example.com
                    useragent: acme-registry/1.0
                    loglevel: debugWithSigning
                    multipartcopychunksize: 33554432
                    v4auth: false
                  delete: {enabled: true}
                  redirect: {disable: true}
                """), Map.of());
        S3Settings s3 = loaded.config().s3().orElseThrow();
        assertThat(s3).isEqualTo(new S3Settings("eu-west-1", Optional.of(URI.create("http://minio.internal:9000")),
                Optional.of(URI.create("https://images.example.com")), "images", true, false, false, false,
                Optional.of(new S3Settings.Credentials("AKIA", "shh")), false, 16L << 20,
                "/registry", Optional.of("REDUCED_REDUNDANCY"), false, Optional.empty(),
                Optional.of("bucket-owner-full-control"), Optional.of("acme-registry/1.0"),
                S3Settings.LogLevel.DEBUG_WITH_SIGNING, false));
        assertThat(loaded.config().storageLocation()).isEqualTo("s3://images/registry");
        assertThat(loaded.config().rootDirectory()).isEqualTo(Path.of("data"));
        assertThat(loaded.warnings()).singleElement().satisfies(w -> assertThat(w).startsWith("storage.s3.v4auth"));

        // as distribution's environment overrides switch a file's filesystem driver to s3
        S3Settings fromEnvironment = loader.load(file("storage: {filesystem: {rootdirectory: /srv}}"), Map.of(
                "REGISTRY_STORAGE", "s3", "REGISTRY_STORAGE_S3_REGION", "us-east-1",
                "REGISTRY_STORAGE_S3_BUCKET", "b", "REGISTRY_STORAGE_S3_ENCRYPT", "true",
                "REGISTRY_STORAGE_S3_KEYID", "k1", "REGISTRY_STORAGE_S3_OBJECTACL", "private"))
                .config().s3().orElseThrow();
        // private, distribution's default, is S3's for an object written without an ACL: none is sent
        assertThat(fromEnvironment).isEqualTo(new S3Settings("us-east-1", Optional.empty(), Optional.empty(), "b",
                false, false, false, false, Optional.empty(), false, 10L << 20, "", Optional.empty(), true,
                Optional.of("k1"), Optional.empty(), Optional.empty(), S3Settings.LogLevel.OFF, true));
        assertThatThrownBy(() -> loader.load(file("storage: {s3: {region: r, bucket: b, objectacl: owner-only}}"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.s3.objectacl");
        // a redirect endpoint replaces the scheme, host and port of the URLs clients are sent to, nothing else
        assertThatThrownBy(() -> loader.load(file(
                "storage: {s3: {region: r, bucket: b, redirectendpoint: 'https://cdn.example.com/registry'}}"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageStartingWith("storage.s3.redirectendpoint");

        // a level distribution's driver does not know logs nothing there either: a warning here, not a refusal
        LoadedConfig verbose = loader.load(file("storage: {s3: {region: r, bucket: b}}"),
                Map.of("REGISTRY_STORAGE_S3_LOGLEVEL", "verbose"));
        assertThat(verbose.config().s3().orElseThrow().logLevel()).isEqualTo(S3Settings.LogLevel.OFF);
        assertThat(verbose.warnings()).singleElement().satisfies(w -> assertThat(w)
                .startsWith("storage.s3.loglevel: verbose is not a level (off, debug, debugwithsigning, "));
        // unquoted, off is a boolean to YAML 1.1: still the level, as distribution's driver takes it
        LoadedConfig off = loader.load(file("storage: {s3: {region: r, bucket: b, loglevel: off}}"), Map.of());
        assertThat(off.config().s3().orElseThrow().logLevel()).isEqualTo(S3Settings.LogLevel.OFF);
        assertThat(off.warnings()).isEmpty();
        assertThat(loader.load(file("storage: {s3: {region: r, bucket: b, loglevel: debugwithrequestretries}}"),
                Map.of()).config().s3().orElseThrow().logLevel())
                .isEqualTo(S3Settings.LogLevel.DEBUG_WITH_REQUEST_RETRIES);

        // AWS's endpoint variants
        S3Settings variants = loader.load(file("storage: {s3: {region: r, bucket: b, usedualstack: true}}"),
                Map.of("REGISTRY_STORAGE_S3_ACCELERATE", "true", "REGISTRY_STORAGE_S3_USEFIPSENDPOINT", "true"))
                .config().s3().orElseThrow();
        assertThat(List.of(variants.dualStack(), variants.accelerate(), variants.fips()))
                .containsExactly(true, true, true);

        // values distribution's driver also takes as text, and a part size past 2 GiB
        S3Settings quoted = loader.load(file("""
                storage:
                  s3: {region: r, bucket: b, regionendpoint: 'h:9000', secure: 'false', encrypt: 'true', \
                chunksize: '6000000000', forcepathstyle: 'false'}
                """), Map.of()).config().s3().orElseThrow();
        assertThat(quoted.regionEndpoint()).contains(URI.create("http://h:9000"));
        assertThat(quoted.encrypt()).isTrue();
        assertThat(quoted.chunkSize()).isEqualTo(6_000_000_000L);
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
