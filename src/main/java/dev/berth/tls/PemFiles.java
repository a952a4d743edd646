package dev.berth.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes PEM as openssl and Go write it: certificates, and unencrypted private keys in PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}) form. Other blocks in
 * a file (such as {@code EC PARAMETERS}) are skipped.
 */
public final class PemFiles {

    private PemFiles() {
    }

    /** Every certificate in the file, in order; at least one. */
    public static List<X509Certificate> certificates(Path file) {
        return X509Toolkit.get().certificates(file);
    }

    /** The file's one private key. */
    public static PrivateKey privateKey(Path file) {
        return X509Toolkit.get().privateKey(file);
    }

    /** {@code -----BEGIN type-----}, the DER bytes in base64 lines of 64, {@code -----END type-----}. */
    static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
