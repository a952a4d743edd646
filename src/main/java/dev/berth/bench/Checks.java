package dev.berth.bench;

import dev.berth.oci.Digest;
import dev.berth.oci.DigestAlgorithm;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * What the benchmark demands of every answer before it counts: the expected status, the headers the spec
 * requires, and content whose digest is the one asked for. A failed check throws {@link CheckFailedException}.
 */
final class Checks {

    private Checks() {
    }

    static Response status(Response response, int expected, String what) {
        if (response.status() != expected) {
            throw new CheckFailedException(what + ": expected " + expected + ", got " + response.summary());
        }
        return response;
    }

    static String header(Response response, String name, String what) {
        return response.header(name)
                .orElseThrow(() -> new CheckFailedException(what + ": no " + name + " header"));
    }

    /** The response names {@code expected} in {@code Docker-Content-Digest}. */
    static void contentDigest(Response response, Digest expected, String what) {
        String actual = header(response, "Docker-Content-Digest", what);
        if (!actual.equals(expected.toString())) {
            throw new CheckFailedException(what + ": Docker-Content-Digest " + actual + ", expected " + expected);
        }
    }

    /** The body is exactly {@code expected}, byte for byte (cheaper than rehashing a body known in advance). */
    static void body(Response response, byte[] expected, String what) {
        if (!Arrays.equals(response.body(), expected)) {
            throw new CheckFailedException(what + ": body differs from what was stored (" + response.body().length
                    + " bytes, expected " + expected.length + ")");
        }
    }

    /** The bytes hash to {@code expected}. */
    static void digest(byte[] content, Digest expected, String what) {
        Digest actual = sha256(content);
        if (!actual.equals(expected)) {
            throw new CheckFailedException(what + ": content has digest " + actual + ", expected " + expected);
        }
    }

    /** The buffer's remaining bytes hash to {@code expected}; the buffer's position is left alone. */
    static void digest(ByteBuffer content, Digest expected, String what) {
        Digest actual = sha256(content);
        if (!actual.equals(expected)) {
            throw new CheckFailedException(what + ": content has digest " + actual + ", expected " + expected);
        }
    }

    static Digest sha256(byte[] content) {
        return Digest.sha256(content);
    }

    static Digest sha256(ByteBuffer content) {
        MessageDigest md = DigestAlgorithm.SHA256.newMessageDigest();
        md.update(content.duplicate());
        return Digest.of(DigestAlgorithm.SHA256, md.digest());
    }
}
