package dev.berth.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsonwebtoken.security.Jwks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedKeysTest {

    @TempDir
    Path dir;

    @Test
    void knowsABundlesKeysByLibtrustFingerprintAndThumbprint() throws Exception {
        KeyPair pair = TestKeys.rsa();
        TrustedKeys keys = TrustedKeys.fromCertificateBundle(TestKeys.writePem(dir.resolve("bundle.pem"),
                TestKeys.selfSigned(pair)));
        assertThat(keys.byId(KeyIds.libtrust(pair.getPublic()))).isEqualTo(pair.getPublic());
        assertThat(keys.byId(KeyIds.thumbprint(pair.getPublic()))).isEqualTo(pair.getPublic());
    }

    @Test
    void takesOnlyThePublicHalfOfPrivateJwks() throws Exception {
        KeyPair pair = TestKeys.ed25519();
        Path jwks = Files.writeString(dir.resolve("jwks.json"), "{\"keys\":["
                + Jwks.UNSAFE_JSON(Jwks.builder().key(pair.getPrivate()).id("signer").build()) + "]}");
        PublicKey trusted = TrustedKeys.fromJwks(jwks).byId("signer");
        assertThat(trusted).isEqualTo(pair.getPublic());
    }

    /** As distribution's (Go's) verification: every certificate of the chain must be valid, its root included. */
    @Test
    void refusesAnX5cChainWithACertificateOutsideItsValidity() throws Exception {
        KeyPair root = TestKeys.ec();
        X509Certificate rootCertificate = TestKeys.selfSigned(root);
        TrustedKeys keys = TrustedKeys.fromCertificateBundle(TestKeys.writePem(dir.resolve("bundle.pem"),
                rootCertificate));
        KeyPair signer = TestKeys.ec();
        // valid for longer than the root that signed it
        X509Certificate leaf = TestKeys.certificate("signer", signer.getPublic(), "token-service", root.getPrivate(),
                false, TestKeys.NOW.minus(Duration.ofDays(1)), TestKeys.NOW.plus(Duration.ofDays(800)));
        Instant rootExpired = TestKeys.NOW.plus(Duration.ofDays(400));

        assertThat(keys.leafOf(List.of(rootCertificate), TestKeys.NOW)).isEqualTo(root.getPublic());
        assertThat(keys.leafOf(List.of(leaf), TestKeys.NOW)).isEqualTo(signer.getPublic());
        assertThat(keys.leafOf(List.of(leaf, rootCertificate), TestKeys.NOW)).isEqualTo(signer.getPublic());
        for (Instant when : List.of(rootExpired, TestKeys.NOW.minus(Duration.ofDays(2)))) {
            assertThatThrownBy(() -> keys.leafOf(List.of(rootCertificate), when))
                    .as("the signer in the bundle, " + when).isInstanceOf(InvalidTokenException.class);
        }
        assertThatThrownBy(() -> keys.leafOf(List.of(leaf), rootExpired)).as("a valid leaf of an expired root")
                .isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> keys.leafOf(List.of(leaf, rootCertificate), rootExpired))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesFilesWithoutUsableKeys() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "no certificate here\n");
        assertThatThrownBy(() -> TrustedKeys.fromCertificateBundle(empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.pem");
        Path secret = Files.writeString(dir.resolve("secret.json"),
                "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"" + "A".repeat(43) + "\"}]}");
        assertThatThrownBy(() -> TrustedKeys.fromJwks(secret))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("symmetric");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"keys\": 5}");
        assertThatThrownBy(() -> TrustedKeys.fromJwks(garbage)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedKeys.fromJwks(dir.resolve("missing.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.json");
    }
}
