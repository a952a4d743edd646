package dev.berth.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsonwebtoken.security.Jwks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
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
