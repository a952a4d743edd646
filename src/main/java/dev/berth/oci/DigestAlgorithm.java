package dev.berth.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** The digest algorithms a registry accepts (OCI image spec, descriptor.md: registered algorithms). */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String id;
    private final int encodedLength;
    /**
     * Never updated, only cloned: a clone is a copy of a few words, where {@code getInstance} looks the algorithm
     * up among the JDK's providers each time (1 % of a server's CPU pushing many small blobs, one per upload).
     */
    private final MessageDigest prototype;

    DigestAlgorithm(String id, String jcaName, int encodedLength) {
        this.id = id;
        this.encodedLength = encodedLength;
        try {
            this.prototype = MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
    }

    public String id() {
        return id;
    }

    public static Optional<DigestAlgorithm> byId(String id) {
        for (DigestAlgorithm a : values()) {
            if (a.id.equals(id)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    boolean accepts(String encoded) {
        if (encoded.length() != encodedLength) {
            return false;
        }
        // a loop, not a regular expression: digests are checked on every request
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** A digest of nothing yet, the caller's own. */
    public MessageDigest newMessageDigest() {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's " + prototype.getAlgorithm() + " cannot be copied", e);
        }
    }
}
