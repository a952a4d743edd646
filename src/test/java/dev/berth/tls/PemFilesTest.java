package dev.berth.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static BigInteger secret(PrivateKey key) {
        return ((ECPrivateKey) key).getS();
    }

    @Test
    void readsRsaKeysInPkcs1AndPkcs8Form() throws Exception {
        KeyPair keys = TestCertificates.rsa();
        assertThat(TestCertificates.traditionalPem(keys)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        assertThat(PemFiles.privateKey(file("pkcs1.key", TestCertificates.traditionalPem(keys))))
                .isEqualTo(keys.getPrivate());
        assertThat(PemFiles.privateKey(file("pkcs8.key", TestCertificates.pkcs8Pem(keys.getPrivate()))))
                .isEqualTo(keys.getPrivate());
    }

    @Test
    void readsEcKeysInSec1AndPkcs8Form() throws Exception {
        KeyPair keys = TestCertificates.ec();
        String sec1 = TestCertificates.traditionalPem(keys);
        assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");

        assertThat(secret(PemFiles.privateKey(file("sec1.key", sec1)))).isEqualTo(secret(keys.getPrivate()));
        assertThat(secret(PemFiles.privateKey(file("pkcs8.key", TestCertificates.pkcs8Pem(keys.getPrivate())))))
                .isEqualTo(secret(keys.getPrivate()));
    }

    @Test
    void skipsTheParametersBlockOpensslWritesBeforeAnEcKey() throws Exception {
        KeyPair keys = TestCertificates.ec();
        Path key = file("ecparam.key", """
                -----BEGIN EC PARAMETERS-----
                BggqhkjOPQMBBw==
                -----END EC PARAMETERS-----
                """ + TestCertificates.traditionalPem(keys));

        assertThat(secret(PemFiles.privateKey(key))).isEqualTo(secret(keys.getPrivate()));
    }

    @Test
    void readsEveryCertificateOfAChainIgnoringTextAroundThem() throws Exception {
        X509Certificate leaf = TestCertificates.selfSigned(TestCertificates.ec(), "leaf");
        X509Certificate intermediate = TestCertificates.selfSigned(TestCertificates.rsa(), "intermediate");
        Path chain = file("chain.crt", "subject=CN=leaf\n" + TestCertificates.pem(leaf)
                + "\nsubject=CN=intermediate\n" + TestCertificates.pem(intermediate));

        assertThat(PemFiles.certificates(chain)).containsExactly(leaf, intermediate);
    }

    @Test
    void refusesAnEncryptedKeyAndSaysHowToDecryptIt() throws Exception {
        Path key = file("encrypted.key", TestCertificates.encryptedPem(TestCertificates.rsa().getPrivate()));

        assertThatThrownBy(() -> PemFiles.privateKey(key)).isInstanceOf(TlsException.class)
                .hasMessageContaining(key.toString()).hasMessageContaining("encrypted")
                .hasMessageContaining("openssl pkey");
    }

    @Test
    void namesTheFileThatHoldsNoCertificateOrNoKey() throws Exception {
        Path certificate = file("key-only.pem", TestCertificates.pkcs8Pem(TestCertificates.ec().getPrivate()));
        Path key = file("certificate-only.pem",
                TestCertificates.pem(TestCertificates.selfSigned(TestCertificates.ec(), "x")));

        assertThatThrownBy(() -> PemFiles.certificates(certificate)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith(certificate + ": no PEM certificate");
        assertThatThrownBy(() -> PemFiles.privateKey(key)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith(key + ": no PEM private key");
    }

    @Test
    void namesAMissingOrDamagedFile() throws Exception {
        Path missing = dir.resolve("missing.crt");
        Path damaged = file("damaged.crt", "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> PemFiles.certificates(missing)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith(missing.toString());
        assertThatThrownBy(() -> PemFiles.certificates(damaged)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith(damaged.toString());
    }
}
