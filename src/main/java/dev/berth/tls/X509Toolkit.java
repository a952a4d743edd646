package dev.berth.tls;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What Berth's TLS needs Bouncy Castle for, the JDK having no public API for either: reading PEM certificates and
 * keys in the forms openssl and Go write, and issuing certificates. {@link #get()} loads its implementation with
 * Bouncy Castle's jars, kept in {@code lib/tls} beside the class path, once TLS material is first read or made: a
 * registry without TLS never opens those jars (docs/performance-changes.md, change 77).
 */
public interface X509Toolkit {

    /** Every certificate in a PEM file, in order; at least one. */
    List<X509Certificate> certificates(Path file);

    /**
     * The PEM file's one private key: unencrypted PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or
     * SEC 1 ({@code EC PRIVATE KEY}); other blocks (such as {@code EC PARAMETERS}) are passed over.
     */
    PrivateKey privateKey(Path file);

    /** A self-signed certificate authority's certificate for {@code keys}, named {@code commonName}. */
    X509Certificate authorityCertificate(KeyPair keys, String commonName, Instant notBefore, Instant notAfter);

    /**
     * A server certificate of {@code key} for {@code hosts} (DNS names, wildcards, IPv4 and IPv6 addresses, as
     * subject alternative names; the first is its common name), signed by {@code authority}.
     */
    X509Certificate serverCertificate(PublicKey key, List<String> hosts, CertifiedKey authority, Instant notBefore,
                                      Instant notAfter);

    /** The toolkit, loaded at the first call. */
    static X509Toolkit get() {
        return BouncyCastleLoading.TOOLKIT.get();
    }
}
