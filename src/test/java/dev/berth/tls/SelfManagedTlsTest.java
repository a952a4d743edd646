package dev.berth.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfManagedTlsTest {

    private static final Instant NOW = Instant.parse("2026-08-01T12:00:00Z");
    private static final List<String> HOSTS = List.of("registry.test", "127.0.0.1");

    @TempDir
    Path root;

    private Path directory() {
        return root.resolve("berth/tls");
    }

    private String mode(String file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(directory().resolve(file)));
    }

    @Test
    void firstStartMakesACaAndAServerCertificateWhosePrivateKeysOnlyTheOwnerReads() throws Exception {
        SelfManagedTls prepared = SelfManagedTls.prepare(directory(), HOSTS, NOW);

        assertThat(prepared.createdAuthority()).isTrue();
        assertThat(prepared.issuedCertificate()).isTrue();
        assertThat(mode("ca.key")).isEqualTo("rw-------");
        assertThat(mode("server.key")).isEqualTo("rw-------");
        assertThat(mode("ca.crt")).isEqualTo("rw-r--r--");
        assertThat(mode("server.crt")).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory()))).isEqualTo("rwx------");
        try (var files = Files.list(directory())) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("ca.crt", "ca.key", "server.crt", "server.key");
        }
        CertifiedKey server = CertifiedKey.read(prepared.certificateFile(), prepared.keyFile());
        assertThat(server.chain()).containsExactly(prepared.certificate(), prepared.authority());
        assertThat(new CertificateAuthority(CertifiedKey.read(prepared.authorityFile(), directory().resolve("ca.key")))
                .issued(server.certificate())).isTrue();
    }

    @Test
    void laterStartsKeepBoth() throws Exception {
        SelfManagedTls first = SelfManagedTls.prepare(directory(), HOSTS, NOW);
        byte[] serverCertificate = Files.readAllBytes(first.certificateFile());

        SelfManagedTls second = SelfManagedTls.prepare(directory(), HOSTS, NOW.plus(Duration.ofDays(100)));

        assertThat(second.createdAuthority()).isFalse();
        assertThat(second.issuedCertificate()).isFalse();
        assertThat(second.authority()).isEqualTo(first.authority());
        assertThat(Files.readAllBytes(second.certificateFile())).isEqualTo(serverCertificate);
    }

    @Test
    void otherHostsGetANewCertificateFromTheSameCa() {
        SelfManagedTls first = SelfManagedTls.prepare(directory(), HOSTS, NOW);

        SelfManagedTls second = SelfManagedTls.prepare(directory(), List.of("registry.test", "10.0.0.5"), NOW);

        assertThat(second.issuedCertificate()).isTrue();
        assertThat(second.authority()).isEqualTo(first.authority());
        assertThat(second.certificate()).isNotEqualTo(first.certificate());
    }

    @Test
    void theSameHostsSpelledDifferentlyKeepTheCertificate() {
        SelfManagedTls.prepare(directory(), List.of("Registry.Test", "::1"), NOW);

        assertThat(SelfManagedTls.prepare(directory(), List.of("registry.test", "0:0:0:0:0:0:0:1"), NOW)
                .issuedCertificate()).isFalse();
    }

    @Test
    void aCertificateNearItsEndIsRenewed() {
        SelfManagedTls first = SelfManagedTls.prepare(directory(), HOSTS, NOW);
        Instant nearTheEnd = first.certificate().getNotAfter().toInstant().minus(SelfManagedTls.RENEWAL)
                .plusSeconds(1);

        SelfManagedTls renewed = SelfManagedTls.prepare(directory(), HOSTS, nearTheEnd);

        assertThat(renewed.issuedCertificate()).isTrue();
        assertThat(renewed.authority()).isEqualTo(first.authority());
        assertThat(renewed.certificate().getNotAfter()).isAfter(first.certificate().getNotAfter());
    }

    @Test
    void aDamagedServerKeyIsReplacedWithANewCertificate() throws Exception {
        SelfManagedTls first = SelfManagedTls.prepare(directory(), HOSTS, NOW);
        Files.writeString(first.keyFile(), "-----BEGIN PRIVATE KEY-----\n");

        SelfManagedTls second = SelfManagedTls.prepare(directory(), HOSTS, NOW);

        assertThat(second.issuedCertificate()).isTrue();
        CertifiedKey.read(second.certificateFile(), second.keyFile());
    }

    @Test
    void aCaWithoutItsKeyStopsStartUpRatherThanBeingReplaced() throws Exception {
        SelfManagedTls.prepare(directory(), HOSTS, NOW);
        Files.delete(directory().resolve("ca.key"));

        assertThatThrownBy(() -> SelfManagedTls.prepare(directory(), HOSTS, NOW)).isInstanceOf(TlsException.class)
                .hasMessageContaining("ca.key");
        assertThat(directory().resolve("ca.crt")).exists();
    }

    @Test
    void aKeyLeftWithoutItsCertificateIsReplacedByANewCa() throws Exception {
        SelfManagedTls first = SelfManagedTls.prepare(directory(), HOSTS, NOW);
        Files.delete(first.authorityFile());

        SelfManagedTls second = SelfManagedTls.prepare(directory(), HOSTS, NOW);

        assertThat(second.createdAuthority()).isTrue();
        assertThat(second.issuedCertificate()).as("the old certificate is not the new CA's").isTrue();
        assertThat(second.authority()).isNotEqualTo(first.authority());
    }

    @Test
    void servesTheCaAsPemWithTheFingerprintOpensslShows() throws Exception {
        SelfManagedTls prepared = SelfManagedTls.prepare(directory(), HOSTS, NOW);

        assertThat(CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(prepared.authorityPem().getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(prepared.authority());
        assertThat(prepared.authorityPem()).isEqualTo(Files.readString(prepared.authorityFile()));
        assertThat(prepared.authorityFingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")
                .isEqualTo(HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(prepared.authority().getEncoded())));
    }
}
