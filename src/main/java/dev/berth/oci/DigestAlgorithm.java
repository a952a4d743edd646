package dev.berth.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** The digest algorithms a registry accepts (OCI image spec, descriptor.md: registered algorithms). */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String id;
    private final String jcaName;
    private final int encodedLength;

    DigestAlgorithm(String id, String jcaName, int encodedLength) {
        this.id = id;
        this.jcaName = jcaName;
        this.encodedLength = encodedLength;
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

    public MessageDigest newMessageDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
    }
}
