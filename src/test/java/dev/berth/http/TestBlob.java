package dev.berth.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Blob content a test pushes, with its digests computed here with the JDK, independently of the server's own
 * digest code, so that a server computing them wrongly is caught.
 */
record TestBlob(byte[] bytes) {

    /** The OCI empty descriptor's content, {@code {}} (image spec, "Guidance for an Empty Descriptor"). */
    static final TestBlob EMPTY_JSON = of("{}");
    static final String EMPTY_JSON_DIGEST =
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private static final ObjectMapper JSON = new ObjectMapper();

    static TestBlob random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return new TestBlob(bytes);
    }

    static TestBlob of(String text) {
        return new TestBlob(text.getBytes(StandardCharsets.UTF_8));
    }

    int size() {
        return bytes.length;
    }

    /** The {@code sha256:} digest. */
    String digest() {
        return digest(bytes, "sha256");
    }

    /** The {@code sha512:} digest. */
    String sha512() {
        return digest(bytes, "sha512");
    }

    /** Bytes {@code from} (inclusive) to {@code to} (exclusive). */
    byte[] slice(int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    ObjectNode descriptor(String mediaType) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest());
        node.put("size", size());
        return node;
    }

    static String digest(byte[] content, String algorithm) {
        String jcaName = switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException(algorithm);
        };
        try {
            return algorithm + ":" + HexFormat.of().formatHex(MessageDigest.getInstance(jcaName).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
