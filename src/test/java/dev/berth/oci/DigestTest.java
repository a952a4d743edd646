package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {

    @Test
    void parsesSha256AndSha512() {
        String hex256 = "a".repeat(64);
        String hex512 = "0123456789abcdef".repeat(8);
        assertThat(Digest.parse("sha256:" + hex256)).isEqualTo(new Digest(DigestAlgorithm.SHA256, hex256));
        assertThat(Digest.parse("sha512:" + hex512).algorithm()).isEqualTo(DigestAlgorithm.SHA512);
        assertThat(Digest.parse("sha256:" + hex256).toString()).isEqualTo("sha256:" + hex256);
    }

    @Test
    void namesADigestOnlyForAnEncodedValueItsAlgorithmAccepts() {
        String hex256 = "b".repeat(64);
        assertThat(Digest.named(DigestAlgorithm.SHA256, hex256)).contains(new Digest(DigestAlgorithm.SHA256, hex256));
        assertThat(Digest.named(DigestAlgorithm.SHA512, hex256)).isEmpty();
        assertThat(Digest.named(DigestAlgorithm.SHA256, "B".repeat(64))).isEmpty();
        assertThat(Digest.named(DigestAlgorithm.SHA256, ".tmp-upload")).isEmpty();
    }

    @Test
    void digestsContentAsSha256() {
        assertThat(Digest.sha256("hello".getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    }

    @Test
    void eachNewMessageDigestStartsEmptyAndIsItsCallersAlone() {
        MessageDigest first = DigestAlgorithm.SHA256.newMessageDigest();
        first.update("hel".getBytes(StandardCharsets.UTF_8));
        MessageDigest second = DigestAlgorithm.SHA256.newMessageDigest();
        second.update("hello".getBytes(StandardCharsets.UTF_8));
        first.update("lo".getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(first.digest()))
                .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
                .isEqualTo(HexFormat.of().formatHex(second.digest()));
        assertThat(HexFormat.of().formatHex(DigestAlgorithm.SHA512.newMessageDigest().digest())).startsWith("cf83e135");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256", "sha256:", ":abc", "md5:d41d8cd98f00b204e9800998ecf8427e",
            "sha256:ABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCD",
            "sha256:abc", "sha256:../../../../etc/passwd", "sha512:abcd",
            "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"})
    void rejectsMalformedDigests(String text) {
        assertThatThrownBy(() -> Digest.parse(text)).isInstanceOf(InvalidDigestException.class);
    }
}
