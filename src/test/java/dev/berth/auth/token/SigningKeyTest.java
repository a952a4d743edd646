package dev.berth.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {

    @TempDir
    Path dir;

    @Test
    void generatesAKeyReadableOnlyByItsOwnerAndKeepsIt() throws Exception {
        Path file = dir.resolve("data/berth/token-signing-key.pem");
        SigningKey first = SigningKey.readOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(first.publicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(SigningKey.readOrCreate(file).publicKey()).as("a restart signs with the same key")
                .isEqualTo(first.publicKey());
        assertThat(first.keyId()).isEqualTo(KeyIds.libtrust(first.publicKey()));
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void refusesFilesWithoutAPkcs8Key() throws Exception {
        Path ec = Files.writeString(dir.resolve("sec1.pem"), "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n"
                + "-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> SigningKey.read(ec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openssl pkcs8 -topk8");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> SigningKey.read(garbage)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKey.read(dir.resolve("missing.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
    }
}
