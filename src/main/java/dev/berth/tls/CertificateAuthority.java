package dev.berth.tls;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
        X509Certificate certificate = X509Toolkit.get().authorityCertificate(keys, commonName,
                now.minus(CLOCK_SKEW), now.plus(CA_VALIDITY));
        return new CertificateAuthority(new CertifiedKey(keys.getPrivate(), List.of(certificate)));
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
        X509Certificate certificate = X509Toolkit.get().serverCertificate(keys.getPublic(), hosts, authority,
                now.minus(CLOCK_SKEW), notAfter);
        return new CertifiedKey(keys.getPrivate(), List.of(certificate, certificate()));
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

    /** Whether {@code host} is an IPv4 or IPv6 address rather than a name. */
    public static boolean isIpLiteral(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
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
}
