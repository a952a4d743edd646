package dev.berth.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertifiedKeyTest {

    @TempDir
    Path dir;

    @Test
    void pairsAnRsaOrEcKeyWithItsCertificate() throws Exception {
        for (KeyPair keys : new KeyPair[] {TestCertificates.rsa(), TestCertificates.ec()}) {
            X509Certificate certificate = TestCertificates.selfSigned(keys, "registry.test");
            Path certificateFile = Files.writeString(dir.resolve("server.crt"), TestCertificates.pem(certificate));
            Path keyFile = Files.writeString(dir.resolve("server.key"),
                    TestCertificates.traditionalPem(keys));

            CertifiedKey read = CertifiedKey.read(certificateFile, keyFile);

            assertThat(read.certificate()).isEqualTo(certificate);
            assertThat(read.key().getAlgorithm()).isEqualTo(keys.getPrivate().getAlgorithm());
        }
    }

    @Test
    void refusesAKeyThatBelongsToAnotherCertificateNamingBothFiles() throws Exception {
        Path certificateFile = Files.writeString(dir.resolve("server.crt"),
                TestCertificates.pem(TestCertificates.selfSigned(TestCertificates.ec(), "registry.test")));
        Path keyFile = Files.writeString(dir.resolve("server.key"),
                TestCertificates.pkcs8Pem(TestCertificates.ec().getPrivate()));

        assertThatThrownBy(() -> CertifiedKey.read(certificateFile, keyFile)).isInstanceOf(TlsException.class)
                .hasMessageContaining(keyFile.toString()).hasMessageContaining(certificateFile.toString())
                .hasMessageContaining("does not belong to the certificate CN=registry.test");
    }

    @Test
    void refusesAnRsaKeyForAnEcCertificate() {
        X509Certificate certificate = TestCertificates.selfSigned(TestCertificates.ec(), "x");

        assertThatThrownBy(() -> new CertifiedKey(TestCertificates.rsa().getPrivate(), List.of(certificate)))
                .isInstanceOf(TlsException.class).hasMessageContaining("does not belong");
    }
}
