package dev.berth.auth.token;

import io.jsonwebtoken.security.Jwks;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The two names token services give a public key in a token's {@code kid} header: the libtrust fingerprint that
 * distribution 2.x (registry:2) derives for the keys of its {@code rootcertbundle}, and the RFC 7638 JWK
 * thumbprint that distribution 3 uses.
 */
final class KeyIds {

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final Pattern GROUPS_OF_FOUR = Pattern.compile("(?<=\\G.{4})");

    private KeyIds() {
    }

    /**
     * libtrust's key ID: the SHA-256 of the DER-encoded SubjectPublicKeyInfo, cut to 240 bits, in base32 as
     * twelve groups of four characters joined by colons ({@code PYYO:TEWU:V7JH:...}).
     */
    static String libtrust(PublicKey key) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
        return String.join(":", GROUPS_OF_FOUR.split(base32(Arrays.copyOf(digest, 30))));
    }

    /** The RFC 7638 thumbprint (SHA-256, base64url) of the key's JWK form. */
    static String thumbprint(PublicKey key) {
        return Jwks.builder().key(key).build().thumbprint().toString();
    }

    /** Base32 (RFC 4648) of a whole number of 5-byte groups, so without padding. */
    private static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString();
    }
}
