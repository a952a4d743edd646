package dev.berth.oci;

import java.util.HexFormat;
import java.util.Optional;

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

    /**
     * The digest an encoded value names under {@code algorithm}, as the storage layout names a blob's or a link's
     * directory; empty for a value no digest has (a directory neither Berth nor distribution wrote).
     */
    public static Optional<Digest> named(DigestAlgorithm algorithm, String encoded) {
        return algorithm.accepts(encoded) ? Optional.of(new Digest(algorithm, encoded)) : Optional.empty();
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
