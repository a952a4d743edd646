package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecksTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
    private static final Digest HELLO_DIGEST =
            Digest.parse("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");

    private static Response response(int status, Map<String, String> headers, byte[] body) {
        return new Response(status, headers, body, body.length);
    }

    @Test
    void digestsMatchTheKnownValue() {
        assertThat(Checks.sha256(HELLO)).isEqualTo(HELLO_DIGEST);
        assertThat(Checks.sha256(ByteBuffer.wrap(HELLO))).isEqualTo(HELLO_DIGEST);
        Checks.digest(HELLO, HELLO_DIGEST, "test");
    }

    @Test
    void aBufferIsHashedFromItsPositionAndLeftAsItWas() {
        ByteBuffer buffer = ByteBuffer.wrap("xxhello".getBytes(StandardCharsets.UTF_8)).position(2);
        Checks.digest(buffer, HELLO_DIGEST, "test");
        assertThat(buffer.position()).isEqualTo(2);
    }

    @Test
    void contentWithAnotherDigestFails() {
        byte[] corrupted = HELLO.clone();
        corrupted[0] ^= 1;
        assertThatThrownBy(() -> Checks.digest(corrupted, HELLO_DIGEST, "GET blob"))
                .isInstanceOf(CheckFailedException.class)
                .hasMessageContaining("GET blob").hasMessageContaining(HELLO_DIGEST.toString());
        assertThatThrownBy(() -> Checks.digest(ByteBuffer.wrap(corrupted), HELLO_DIGEST, "GET blob"))
                .isInstanceOf(CheckFailedException.class);
    }

    @Test
    void aWrongOrMissingDigestHeaderFails() {
        Response right = response(200, Map.of("docker-content-digest", HELLO_DIGEST.toString()), HELLO);
        Checks.contentDigest(right, HELLO_DIGEST, "test");
        Response wrong = response(200, Map.of("docker-content-digest", Checks.sha256(new byte[1]).toString()), HELLO);
        assertThatThrownBy(() -> Checks.contentDigest(wrong, HELLO_DIGEST, "HEAD manifest"))
                .isInstanceOf(CheckFailedException.class).hasMessageContaining("Docker-Content-Digest");
        assertThatThrownBy(() -> Checks.contentDigest(response(200, Map.of(), HELLO), HELLO_DIGEST, "x"))
                .isInstanceOf(CheckFailedException.class).hasMessageContaining("no Docker-Content-Digest");
    }

    @Test
    void anUnexpectedStatusFailsWithTheErrorBody() {
        Response notFound = response(404, Map.of(), "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}".getBytes());
        assertThatThrownBy(() -> Checks.status(notFound, 200, "GET blob"))
                .isInstanceOf(CheckFailedException.class).hasMessageContaining("404").hasMessageContaining("BLOB_UNKNOWN");
        assertThat(Checks.status(notFound, 404, "x")).isSameAs(notFound);
    }

    @Test
    void bodiesAreComparedByteForByte() {
        Checks.body(response(200, Map.of(), HELLO), HELLO.clone(), "x");
        assertThatThrownBy(() -> Checks.body(response(200, Map.of(), "hellO".getBytes()), HELLO, "x"))
                .isInstanceOf(CheckFailedException.class);
    }

    @Test
    void tagListsAreReadInAnyOrder() {
        assertThat(SmallRequests.tagsIn("{\"name\":\"a/b\",\"tags\":[\"t2\", \"t1\",\"v1.0_x-y\"]}"))
                .containsExactly("t2", "t1", "v1.0_x-y");
        assertThat(SmallRequests.tagsIn("{\"name\":\"a\",\"tags\":[]}")).isEmpty();
        Response unsorted = response(200, Map.of(), "{\"name\":\"a\",\"tags\":[\"t1\",\"t0\"]}".getBytes());
        SmallRequests.checkTags(unsorted, List.of("t0", "t1"));
        assertThatThrownBy(() -> SmallRequests.checkTags(unsorted, List.of("t0", "t1", "t2")))
                .isInstanceOf(CheckFailedException.class);
    }

    @Test
    void malformedTagListsFail() {
        assertThatThrownBy(() -> SmallRequests.tagsIn("{\"name\":\"a\"}")).isInstanceOf(CheckFailedException.class);
        assertThatThrownBy(() -> SmallRequests.tagsIn("{\"tags\":[\"ok\", 3]}"))
                .isInstanceOf(CheckFailedException.class);
        assertThatThrownBy(() -> SmallRequests.tagsIn("{\"tags\":[\"a b\"]}")).isInstanceOf(CheckFailedException.class);
    }

    @Test
    void locationsBecomeRequestTargets() {
        assertThat(V2Client.target("http://127.0.0.1:5000/v2/a/blobs/uploads/u1?_state=x%3D"))
                .isEqualTo("/v2/a/blobs/uploads/u1?_state=x%3D");
        assertThat(V2Client.target("/v2/a/blobs/uploads/u1")).isEqualTo("/v2/a/blobs/uploads/u1");
        assertThat(V2Client.withDigest("/v2/a/blobs/uploads/u1", HELLO_DIGEST))
                .isEqualTo("/v2/a/blobs/uploads/u1?digest=" + HELLO_DIGEST);
        assertThat(V2Client.withDigest("/v2/a/blobs/uploads/u1?_state=s", HELLO_DIGEST))
                .isEqualTo("/v2/a/blobs/uploads/u1?_state=s&digest=" + HELLO_DIGEST);
    }
}
