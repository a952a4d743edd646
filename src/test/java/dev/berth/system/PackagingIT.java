package dev.berth.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged jar, which holds its dependencies, and the jars beside it, as ./berth and the image run them. */
class PackagingIT {

    private static final Path JAR = Path.of(System.getProperty("berth.jar", "target/berth.jar"));
    /** A class compiled for a newer JDK, which only a Multi-Release jar has the JDK load. */
    private static final String VERSIONED_CLASS = "META-INF/versions/\\d+/.+\\.class";

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            return file.stream().map(JarEntry::getName).toList();
        }
    }

    /** berth.jar and those of lib/tls (Bouncy Castle's, Jetty's HTTP/2), which a server opens for TLS. */
    private static List<Path> openedByServers() throws IOException {
        List<Path> jars = new ArrayList<>(List.of(JAR));
        try (Stream<Path> tls = Files.list(JAR.resolveSibling("lib").resolve("tls"))) {
            tls.forEach(jars::add);
        }
        return jars;
    }

    /**
     * One jar, not one per dependency on its class path: every start opened each of those and read its manifest,
     * and every resource lookup searched them in turn (docs/performance-changes.md, change 79).
     */
    @Test
    void theJarHoldsItsDependenciesAndNamesNoClassPath() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile(), false)) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo("dev.berth.cli.Main");
            assertThat(manifest.getValue(Attributes.Name.CLASS_PATH)).isNull();
        }
        assertThat(entries(JAR)).contains("dev/berth/cli/Main.class", "org/eclipse/jetty/server/Server.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class", "ch/qos/logback/classic/Logger.class",
                "picocli/CommandLine.class", "at/favre/lib/crypto/bcrypt/BCrypt.class",
                "io/jsonwebtoken/Jwts.class", "io/prometheus/metrics/core/metrics/Counter.class");
    }

    /** The services several libraries declare are all declared by the one jar. */
    @Test
    void theLibrariesServicesAreMerged() throws Exception {
        assertThat(service("org.slf4j.spi.SLF4JServiceProvider"))
                .contains("ch.qos.logback.classic.spi.LogbackServiceProvider");
        assertThat(service("ch.qos.logback.classic.spi.Configurator")).contains("dev.berth.cli.LogbackDefaults");
        assertThat(service("io.jsonwebtoken.io.Deserializer"))
                .contains("io.jsonwebtoken.jackson.io.JacksonDeserializer");
        assertThat(service("org.eclipse.jetty.http.HttpFieldPreEncoder"))
                .contains("org.eclipse.jetty.http.Http11FieldPreEncoder");
    }

    private static String service(String name) throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile(), false)) {
            JarEntry entry = jar.getJarEntry("META-INF/services/" + name);
            assertThat(entry).as("META-INF/services/%s", name).isNotNull();
            try (InputStream in = jar.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * The JDK reads and checks a signed jar's digests as it opens it: Bouncy Castle's signed jars cost each server
     * 3 MiB of memory (pom.xml, docs/performance-changes.md change 42), so neither berth.jar (with bcrypt's signed
     * `bytes` inside) nor a jar of lib/tls keeps a signature.
     */
    @Test
    void noJarAServerOpensIsSigned() throws Exception {
        for (Path jar : openedByServers()) {
            assertThat(entries(jar)).as("signature files in %s", jar.getFileName())
                    .noneMatch(name -> name.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
        }
    }

    /** Jackson and Bouncy Castle hold classes for newer JDKs under META-INF/versions; their jars must say so. */
    @Test
    void multiReleaseJarsStayMultiRelease() throws Exception {
        assertThat(entries(JAR)).anyMatch(name -> name.matches(VERSIONED_CLASS));
        for (Path path : openedByServers()) {
            try (JarFile jar = new JarFile(path.toFile(), false)) {
                if (jar.stream().anyMatch(entry -> entry.getName().matches(VERSIONED_CLASS))) {
                    assertThat(jar.isMultiRelease()).as("Multi-Release in %s", path.getFileName()).isTrue();
                }
            }
        }
    }

    /** Each of the {@code artifacts} is in {@code lib/directory}, and none of {@code packages} is in berth.jar. */
    private static void shipBesideTheJar(String directory, List<String> artifacts, String... packages)
            throws Exception {
        String[] beside = JAR.resolveSibling("lib").resolve(directory).toFile().list();
        assertThat(beside).as("lib/%s", directory).isNotNull();
        for (String artifact : artifacts) {
            assertThat(beside).as("lib/%s", directory).anyMatch(name -> name.matches(artifact + "-[0-9.]+\\.jar"));
        }
        List<String> inside = entries(JAR);
        for (String pkg : packages) {
            assertThat(inside).noneMatch(name -> name.startsWith(pkg));
        }
    }

    /**
     * The AWS SDK is opened only by a registry configured for S3 (cli.S3Loading): in berth.jar, every start would
     * open its classes' entries. S3StorageIT shows a server loading it from lib/s3.
     */
    @Test
    void theS3DriverShipsBesideTheJar() throws Exception {
        shipBesideTheJar("s3", List.of("s3", "sdk-core", "apache5-client", "httpclient5"),
                "software/amazon/awssdk/", "org/apache/hc/");
    }

    /**
     * Bouncy Castle is opened only by a registry that reads or makes TLS material (tls.X509Toolkit): otherwise every
     * start would read its 7,800 entries (docs/performance-changes.md, change 77). tests/e2e/tls.sh shows a server
     * loading it from lib/tls.
     */
    @Test
    void bouncyCastleShipsBesideTheJar() throws Exception {
        shipBesideTheJar("tls", List.of("bcprov-jdk18on", "bcpkix-jdk18on", "bcutil-jdk18on"), "org/bouncycastle/");
    }

    /**
     * Jetty's HTTP/2 and ALPN are opened only by a registry whose TLS port offers HTTP/2 (http.Http2OverTls):
     * otherwise every start would pre-encode header fields for HPACK (docs/performance-changes.md, change 78).
     * tests/e2e/tls.sh shows a server loading them from lib/tls.
     */
    @Test
    void jettysHttp2ShipsBesideTheJar() throws Exception {
        shipBesideTheJar("tls", List.of("jetty-http2-server", "jetty-http2-common", "jetty-http2-hpack",
                "jetty-alpn-server", "jetty-alpn-java-server"), "org/eclipse/jetty/http2/", "org/eclipse/jetty/alpn/");
    }
}
