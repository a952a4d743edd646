package dev.berth.oci;

import java.util.HexFormat;

/** A content digest, {@code algorithm:encoded}; valid by construction, so safe to use in storage paths. */
public record Digest(DigestAlgorithm algorithm, String encoded) implements Reference {

    public Digest {
        if (algorithm == null || encoded == null || !algorithm.accepts(encoded)) {
            throw new InvalidDigestException("invalid digest: "
                    + InvalidValueException.shown((algorithm == null ? "" : algorithm.id()) + ":" + encoded));
        }
    }

    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new InvalidDigestException("invalid digest: " + InvalidValueException.shown(text));
        }
        DigestAlgorithm algorithm = DigestAlgorithm.byId(text.substring(0, colon))
                .orElseThrow(() -> new InvalidDigestException("unsupported digest algorithm: "
                        + InvalidValueException.shown(text)));
        return new Digest(algorithm, text.substring(colon + 1));
    }

    public static Digest of(DigestAlgorithm algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    public static Digest sha256(byte[] content) {
        return of(DigestAlgorithm.SHA256, DigestAlgorithm.SHA256.newMessageDigest().digest(content));
    }

    @Override
    public String toString() {
        return algorithm.id() + ":" + encoded;
    }
}
