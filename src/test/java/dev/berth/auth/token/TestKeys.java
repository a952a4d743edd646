package dev.berth.auth.token;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys, certificates and tokens for tests, as an outside token service would make them. */
final class TestKeys {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String ISSUER = "test-issuer";
    static final String SERVICE = "test-registry";

    private TestKeys() {
    }

    static KeyPair ec() {
        return generate("EC", "secp256r1");
    }

    static KeyPair rsa() {
        return generate("RSA", null);
    }

    static KeyPair ed25519() {
        return generate("Ed25519", null);
    }

    private static KeyPair generate(String type, String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
            if (curve != null) {
                generator.initialize(new ECGenParameterSpec(curve));
            } else if (type.equals("RSA")) {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate for {@code subject}'s key, signed by {@code issuerKey} (self-signed when it is the same). */
    static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey,
                                       boolean authority) {
        return certificate(subject, key, issuer, issuerKey, authority, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(365)));
    }

    /** The same, valid from {@code notBefore} to {@code notAfter}. */
    static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey,
                                       boolean authority, Instant notBefore, Instant notAfter) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
                    BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name("CN=" + subject), key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
            }
            String algorithm = switch (issuerKey.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                default -> "Ed25519";
            };
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate selfSigned(KeyPair pair) {
        return certificate("token-service", pair.getPublic(), "token-service", pair.getPrivate(), true);
    }

    static Path writePem(Path file, X509Certificate... certificates) throws Exception {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            pem.append(pem("CERTIFICATE", encoded(certificate)));
        }
        Files.writeString(file, pem);
        return file;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Valid claims for {@link #SERVICE} from {@link #ISSUER}, granting {@code access}, not yet signed. */
    static JwtBuilder claims(String subject, List<Map<String, Object>> access) {
        return Jwts.builder()
                .issuer(ISSUER)
                .subject(subject)
                .audience().single(SERVICE)
                .issuedAt(Date.from(NOW))
                .notBefore(Date.from(NOW))
                .expiration(Date.from(NOW.plus(Duration.ofMinutes(5))))
                .id("test-" + System.nanoTime())
                .claim("access", access);
    }

    static Map<String, Object> grant(String type, String name, String... actions) {
        return Map.of("type", type, "name", name, "actions", List.of(actions));
    }

    /** A compact JWT of raw JSON parts, for tokens no library would make. */
    static String raw(String headerJson, String claimsJson, byte[] signature) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(signature);
    }
}
