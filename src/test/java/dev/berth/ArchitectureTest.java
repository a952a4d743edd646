package dev.berth;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: cli → http → api, auth (→ auth.htpasswd, auth.token), registry, tls → oci, storage
 * (see style.md §5); cli → bench → oci, the benchmark being a client of any registry; tls → loading, which loads
 * tls.bc (→ tls) beside Bouncy Castle's jars, as cli loads the S3 driver and http loads http.h2 (→ http) beside
 * Jetty's HTTP/2 jars.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth");

    private static void mayOnlyUse(String pkg, String... allowed) {
        String[] all = new String[allowed.length + 1];
        all[0] = pkg;
        System.arraycopy(allowed, 0, all, 1, allowed.length);
        String[] forbidden = java.util.stream.Stream.of("cli", "config", "http", "api", "auth", "registry", "oci",
                        "auth.htpasswd", "auth.token", "storage", "storage.layout", "storage.filesystem", "health",
                        "metrics", "notify", "gc", "tls", "tls.bc", "loading", "bench", "http.h2")
                .map(p -> "dev.berth." + p)
                .filter(p -> java.util.Arrays.stream(all).noneMatch(a -> a.equals(p)))
                .toArray(String[]::new);
        for (String other : forbidden) {
            noClasses().that().resideInAPackage(pkg).should().dependOnClassesThat().resideInAPackage(other)
                    .check(CLASSES);
        }
    }

    @Test
    void leavesImportNoProjectPackage() {
        mayOnlyUse("dev.berth.oci");
        mayOnlyUse("dev.berth.storage");
        mayOnlyUse("dev.berth.config");
        mayOnlyUse("dev.berth.loading");
    }

    @Test
    void layersPointOneWay() {
        mayOnlyUse("dev.berth.storage.layout", "dev.berth.oci");
        mayOnlyUse("dev.berth.storage.filesystem", "dev.berth.storage");
        mayOnlyUse("dev.berth.storage.s3", "dev.berth.storage");
        mayOnlyUse("dev.berth.registry", "dev.berth.oci", "dev.berth.storage", "dev.berth.storage.layout");
        mayOnlyUse("dev.berth.api", "dev.berth.oci");
        mayOnlyUse("dev.berth.auth", "dev.berth.oci");
        mayOnlyUse("dev.berth.auth.htpasswd", "dev.berth.auth");
        mayOnlyUse("dev.berth.auth.token", "dev.berth.auth", "dev.berth.oci");
        // the benchmark is a client: it speaks HTTP to any registry and shares only the vocabulary
        mayOnlyUse("dev.berth.bench", "dev.berth.oci");
        mayOnlyUse("dev.berth.http", "dev.berth.api", "dev.berth.auth", "dev.berth.auth.token", "dev.berth.registry",
                "dev.berth.oci", "dev.berth.health", "dev.berth.gc", "dev.berth.tls", "dev.berth.loading");
        // http loads http.h2 beside Jetty's HTTP/2 jars, by name only
        mayOnlyUse("dev.berth.http.h2", "dev.berth.http");
        mayOnlyUse("dev.berth.gc", "dev.berth.registry", "dev.berth.storage", "dev.berth.storage.layout",
                "dev.berth.oci");
        mayOnlyUse("dev.berth.health", "dev.berth.storage", "dev.berth.storage.layout");
        // tls loads tls.bc beside Bouncy Castle's jars, by name only
        mayOnlyUse("dev.berth.tls", "dev.berth.loading");
        mayOnlyUse("dev.berth.tls.bc", "dev.berth.tls");
    }

    /** Notifications observe the server's requests from outside: no core package knows them. */
    @Test
    void notificationsDecorateAndNothingInTheCoreNamesThem() {
        mayOnlyUse("dev.berth.notify", "dev.berth.http", "dev.berth.oci");
        noClasses().that().resideOutsideOfPackages("dev.berth.notify", "dev.berth.cli")
                .should().dependOnClassesThat().resideInAPackage("dev.berth.notify").check(CLASSES);
    }

    /** Metrics decorate the core from outside: no core package knows them (style.md §5). */
    @Test
    void metricsDecorateAndNothingInTheCoreNamesThem() {
        mayOnlyUse("dev.berth.metrics", "dev.berth.storage", "dev.berth.auth");
        noClasses().that().resideOutsideOfPackages("dev.berth.metrics", "dev.berth.cli")
                .should().dependOnClassesThat().resideInAPackage("dev.berth.metrics").check(CLASSES);
    }

    @Test
    void confinesThirdPartyLibraries() {
        noClasses().that().resideOutsideOfPackages("dev.berth.http", "dev.berth.http.h2")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..").check(CLASSES);
        noClasses().that().resideOutsideOfPackage("dev.berth.cli")
                .should().dependOnClassesThat().resideInAPackage("picocli..").check(CLASSES);
        noClasses().that().resideOutsideOfPackages("dev.berth.config")
                .should().dependOnClassesThat()
                .resideInAPackage("org.yaml.snakeyaml..")
                .check(CLASSES);
    }

    @Test
    void confinesPrometheusToMetricsAndLoggingSetupToCli() {
        noClasses().that().resideOutsideOfPackage("dev.berth.metrics")
                .should().dependOnClassesThat().resideInAPackage("io.prometheus..").check(CLASSES);
        noClasses().that().resideOutsideOfPackage("dev.berth.cli")
                .should().dependOnClassesThat().resideInAnyPackage("ch.qos.logback..", "net.logstash..")
                .check(CLASSES);
    }

    @Test
    void confinesBcryptToHtpasswd() {
        noClasses().that().resideOutsideOfPackage("dev.berth.auth.htpasswd")
                .should().dependOnClassesThat().resideInAPackage("at.favre.lib..").check(CLASSES);
    }

    @Test
    void confinesTheJwtLibraryToToken() {
        noClasses().that().resideOutsideOfPackage("dev.berth.auth.token")
                .should().dependOnClassesThat().resideInAPackage("io.jsonwebtoken..").check(CLASSES);
    }

    @Test
    void confinesTheAwsSdkToTheS3Driver() {
        noClasses().that().resideOutsideOfPackage("dev.berth.storage.s3")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..").check(CLASSES);
    }

    @Test
    void confinesBouncyCastleToTlsBc() {
        noClasses().that().resideOutsideOfPackage("dev.berth.tls.bc")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..").check(CLASSES);
    }

    @Test
    void confinesJettysHttp2ToHttpH2() {
        noClasses().that().resideOutsideOfPackage("dev.berth.http.h2")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.eclipse.jetty.http2..", "org.eclipse.jetty.alpn..").check(CLASSES);
    }

    @Test
    void hasNoCycles() {
        slices().matching("dev.berth.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
