package dev.berth.tls.bc;

import dev.berth.tls.CertificateAuthority;
import dev.berth.tls.CertifiedKey;
import dev.berth.tls.TlsException;
import dev.berth.tls.X509Toolkit;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** The {@link X509Toolkit} on Bouncy Castle; defined beside its jars, never named but by {@link X509Toolkit#get()}. */
public final class BouncyCastleToolkit implements X509Toolkit {

    @Override
    public List<X509Certificate> certificates(Path file) {
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

    @Override
    public PrivateKey privateKey(Path file) {
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

    @Override
    public X509Certificate authorityCertificate(KeyPair keys, String commonName, Instant notBefore,
                                                Instant notAfter) {
        X500Name name = name(commonName);
        try {
            return sign(new JcaX509v3CertificateBuilder(name, serialNumber(), Date.from(notBefore),
                    Date.from(notAfter), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic())),
                    keys.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new TlsException("cannot create a certificate authority: " + e.getMessage(), e);
        }
    }

    @Override
    public X509Certificate serverCertificate(PublicKey key, List<String> hosts, CertifiedKey authority,
                                             Instant notBefore, Instant notAfter) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            return sign(new JcaX509v3CertificateBuilder(authority.certificate(), serialNumber(), Date.from(notBefore),
                    Date.from(notAfter), name(hosts.getFirst()), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, alternativeNames(hosts))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(authority.certificate())),
                    authority.key());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new TlsException("cannot issue a certificate for " + hosts + ": " + e.getMessage(), e);
        }
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

    private static GeneralNames alternativeNames(List<String> hosts) {
        return new GeneralNames(hosts.stream().map(host -> CertificateAuthority.isIpLiteral(host)
                ? new GeneralName(GeneralName.iPAddress, host)
                : new GeneralName(GeneralName.dNSName, host)).toArray(GeneralName[]::new));
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Berth").addRDN(BCStyle.CN, commonName).build();
    }

    /** Random and positive, at most 20 bytes, as RFC 5280 asks. */
    private static BigInteger serialNumber() {
        return new BigInteger(127, new SecureRandom()).setBit(126);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(CertifiedKey.signatureAlgorithm(signer)).build(signer)));
        } catch (OperatorCreationException e) {
            throw new TlsException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }
}
