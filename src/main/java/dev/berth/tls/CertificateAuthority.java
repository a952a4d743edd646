package dev.berth.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A local certificate authority that issues server certificates for the names and addresses clients use.
 * Keys are EC P-256, which every TLS client docker, podman and skopeo use accepts. Immutable.
 */
public final class CertificateAuthority {

    static final Duration CA_VALIDITY = Duration.ofDays(3653);
    static final Duration SERVER_VALIDITY = Duration.ofDays(730);
    /** Certificates start an hour early, so that a client whose clock is a little behind accepts them. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private final CertifiedKey authority;

    /** An authority from its certificate (a CA, self-signed) and key. */
    public CertificateAuthority(CertifiedKey authority) {
        if (authority.certificate().getBasicConstraints() < 0) {
            throw new TlsException("the certificate " + authority.certificate().getSubjectX500Principal().getName()
                    + " is not a certificate authority");
        }
        this.authority = authority;
    }

    /** A new authority with a fresh key, named {@code commonName}. */
    public static CertificateAuthority create(String commonName, Instant now) {
        KeyPair keys = newKeyPair();
        X500Name name = name(commonName);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serialNumber(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys.getPrivate());
            return new CertificateAuthority(new CertifiedKey(keys.getPrivate(), List.of(certificate)));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new TlsException("cannot create a certificate authority: " + e.getMessage(), e);
        }
    }

    public CertifiedKey certifiedKey() {
        return authority;
    }

    public X509Certificate certificate() {
        return authority.certificate();
    }

    /**
     * A server certificate for {@code hosts} (DNS names, wildcards, IPv4 and IPv6 addresses, as subject alternative
     * names), with this authority's certificate after it in the chain.
     */
    public CertifiedKey issueServerCertificate(List<String> hosts, Instant now) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host");
        }
        KeyPair keys = newKeyPair();
        Instant notAfter = now.plus(SERVER_VALIDITY);
        if (notAfter.isAfter(certificate().getNotAfter().toInstant())) {
            notAfter = certificate().getNotAfter().toInstant();
        }
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate(), serialNumber(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), name(hosts.getFirst()), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, alternativeNames(hosts))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate()));
            return new CertifiedKey(keys.getPrivate(), List.of(sign(builder, authority.key()), certificate()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new TlsException("cannot issue a certificate for " + hosts + ": " + e.getMessage(), e);
        }
    }

    /** Whether this authority signed {@code certificate}. */
    public boolean issued(X509Certificate certificate) {
        try {
            certificate.verify(certificate().getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static GeneralNames alternativeNames(List<String> hosts) {
        return new GeneralNames(hosts.stream().map(host -> isIpLiteral(host)
                ? new GeneralName(GeneralName.iPAddress, host)
                : new GeneralName(GeneralName.dNSName, host)).toArray(GeneralName[]::new));
    }

    static boolean isIpLiteral(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Berth").addRDN(BCStyle.CN, commonName).build();
    }

    /** Random and positive, at most 20 bytes, as RFC 5280 asks. */
    private static BigInteger serialNumber() {
        return new BigInteger(127, new SecureRandom()).setBit(126);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot generate an EC P-256 key: " + e.getMessage(), e);
        }
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
