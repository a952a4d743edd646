package dev.berth.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged jar and the jars its manifest puts on the class path, as {@code ./berth} and the image run them. */
class PackagingIT {

    private static final Path JAR = Path.of(System.getProperty("berth.jar", "target/berth.jar"));

    private static List<Path> classPath() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            return Arrays.stream(classPath.trim().split("\\s+")).map(JAR.getParent()::resolve).toList();
        }
    }

    /** Those of the class path and of lib/tls (Bouncy Castle's, Jetty's HTTP/2), which a server opens for TLS. */
    private static List<Path> unsignedJars() throws Exception {
        List<Path> jars = new ArrayList<>(classPath());
        try (Stream<Path> tls = Files.list(JAR.resolveSibling("lib").resolve("tls"))) {
            tls.forEach(jars::add);
        }
        return jars;
    }

    @Test
    void everyJarOfTheClassPathIsThere() throws Exception {
        assertThat(classPath()).isNotEmpty().allSatisfy(jar -> assertThat(jar).isRegularFile());
    }

    /**
     * Every start opens every jar of the class path, and the JDK reads and checks a signed jar's digests as it
     * does: Bouncy Castle's signed jars cost each server 3 MiB of memory (pom.xml, docs/performance.md change 42).
     */
    @Test
    void noJarOfTheClassPathOrOfTlsIsSigned() throws Exception {
        for (Path path : unsignedJars()) {
            try (JarFile jar = new JarFile(path.toFile(), false)) {
                assertThat(jar.stream().map(JarEntry::getName))
                        .as("signature files in %s", path.getFileName())
                        .noneMatch(name -> name.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
            }
        }
    }

    /** Each of the {@code artifacts} is in {@code lib/directory}, at some version, and none on the class path. */
    private static void shipBesideTheClassPath(String directory, String... artifacts) throws Exception {
        String[] beside = JAR.resolveSibling("lib").resolve(directory).toFile().list();
        assertThat(beside).as("lib/%s", directory).isNotNull();
        for (String artifact : artifacts) {
            String jar = artifact + "-[0-9.]+\\.jar";
            assertThat(beside).as("lib/%s", directory).anyMatch(name -> name.matches(jar));
            assertThat(classPath()).noneMatch(path -> path.getFileName().toString().matches(jar));
        }
    }

    /**
     * The AWS SDK is opened only by a registry configured for S3 (cli.S3Loading): on the class path, every start
     * would open its jars. S3StorageIT shows a server loading it from lib/s3.
     */
    @Test
    void theS3DriverShipsBesideTheClassPathNotOnIt() throws Exception {
        shipBesideTheClassPath("s3", "s3", "sdk-core", "apache5-client", "httpclient5");
    }

    /**
     * Bouncy Castle is opened only by a registry that reads or makes TLS material (tls.X509Toolkit): on the class
     * path, every start would open its jars, 7,800 entries (docs/performance.md, change 77). tests/e2e/tls.sh shows
     * a server loading it from lib/tls.
     */
    @Test
    void bouncyCastleShipsBesideTheClassPathNotOnIt() throws Exception {
        shipBesideTheClassPath("tls", "bcprov-jdk18on", "bcpkix-jdk18on", "bcutil-jdk18on");
    }

    /**
     * Jetty's HTTP/2 and ALPN are opened only by a registry whose TLS port offers HTTP/2 (http.Http2OverTls): on the
     * class path, every start would open their jars and pre-encode header fields for HPACK (docs/performance.md,
     * change 78). tests/e2e/tls.sh shows a server loading them from lib/tls.
     */
    @Test
    void jettysHttp2ShipsBesideTheClassPathNotOnIt() throws Exception {
        shipBesideTheClassPath("tls", "jetty-http2-server", "jetty-http2-common", "jetty-http2-hpack",
                "jetty-alpn-server", "jetty-alpn-java-server");
    }

    /** Bouncy Castle holds classes for newer JDKs under META-INF/versions; unsigned, its jars must still say so. */
    @Test
    void multiReleaseJarsStayMultiRelease() throws Exception {
        for (Path path : unsignedJars()) {
            try (JarFile jar = new JarFile(path.toFile(), false)) {
                boolean versioned = jar.stream()
                        .anyMatch(entry -> entry.getName().matches("META-INF/versions/\\d+/.+\\.class"));
                if (versioned) {
                    assertThat(jar.isMultiRelease()).as("Multi-Release in %s", path.getFileName()).isTrue();
                }
            }
        }
    }
}
