package dev.berth.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.MiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * Keys, certificates and PEM text for tests, made with BouncyCastle directly rather than with the code under test,
 * in the forms openssl writes: PKCS#1 and SEC 1 ("traditional") and PKCS#8 keys.
 */
public final class TestCertificates {

    private TestCertificates() {
    }

    public static KeyPair rsa() {
        return generate("RSA", null);
    }

    public static KeyPair ec() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                generator.initialize(spec);
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed end-entity certificate (not a CA) for {@code keys}. */
    public static X509Certificate selfSigned(KeyPair keys, String commonName) {
        X500Name name = new X500Name("CN=" + commonName);
        return sign(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
                name, keys.getPublic()), keys.getPrivate(), false);
    }

    /** A client certificate (extended key usage clientAuth) for a fresh EC key, issued by {@code authority}. */
    public static CertifiedKey clientCertificate(CertificateAuthority authority, String commonName) {
        KeyPair keys = ec();
        X509Certificate certificate = sign(new JcaX509v3CertificateBuilder(authority.certificate(),
                BigInteger.valueOf(System.nanoTime()), Date.from(Instant.now().minus(Duration.ofHours(1))),
                Date.from(Instant.now().plus(Duration.ofDays(1))), new X500Name("CN=" + commonName),
                keys.getPublic()), authority.certifiedKey().key(), true);
        return new CertifiedKey(keys.getPrivate(), List.of(certificate, authority.certificate()));
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey signer, boolean client) {
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (client) {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC 1) as openssl writes them, an EC key with its
     * curve and public key inside (the JDK's PKCS#8 encoding leaves both out of the inner structure).
     */
    public static String traditionalPem(KeyPair keys) {
        try {
            if (!keys.getPrivate().getAlgorithm().equals("EC")) {
                return pem(new JcaMiscPEMGenerator(keys.getPrivate()));
            }
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            byte[] publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData()
                    .getBytes();
            ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), new DERBitString(publicKey),
                    info.getPrivateKeyAlgorithm().getParameters());
            return pem(new MiscPEMGenerator(new PemObject("EC PRIVATE KEY", sec1.getEncoded())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The traditional form encrypted with a passphrase ({@code Proc-Type: 4,ENCRYPTED}). */
    public static String encryptedPem(PrivateKey key) {
        try {
            return pem(new JcaMiscPEMGenerator(key,
                    new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider())
                            .build("secret".toCharArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code PRIVATE KEY} (PKCS#8). */
    public static String pkcs8Pem(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pem(X509Certificate certificate) {
        try {
            return pem(new JcaMiscPEMGenerator(certificate));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(PemObjectGenerator generator) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(generator);
        }
        return text.toString();
    }
}
