package dev.berth.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

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
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object block : blocks(file)) {
            if (block instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsException(file + ": unusable certificate: " + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
        }
        return certificates;
    }

    /** The file's one private key. */
    public static PrivateKey privateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            for (Object block : blocks(file)) {
                switch (block) {
                    case PEMKeyPair pair -> {
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMEncryptedKeyPair encrypted -> throw encrypted(file);
                    case PKCS8EncryptedPrivateKeyInfo encrypted -> throw encrypted(file);
                    default -> {
                        // parameters and other blocks that come with some keys
                    }
                }
            }
        } catch (PEMException e) {
            throw new TlsException(file + ": unusable private key: " + e.getMessage(), e);
        }
        throw new TlsException(file + ": no PEM private key (-----BEGIN PRIVATE KEY----- or the RSA or EC form) "
                + "in the file");
    }

    private static TlsException encrypted(Path file) {
        return new TlsException(file + ": the private key is encrypted; give it unencrypted, as distribution needs "
                + "too (openssl pkey -in KEY -out PLAIN-KEY)");
    }

    private static List<Object> blocks(Path file) {
        List<Object> blocks = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports damaged base64 and ASN.1 with unchecked exceptions
            throw new TlsException(file + ": cannot read PEM: " + e.getMessage(), e);
        }
        return blocks;
    }

    /** {@code -----BEGIN type-----}, the DER bytes in base64 lines of 64, {@code -----END type-----}. */
    static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
