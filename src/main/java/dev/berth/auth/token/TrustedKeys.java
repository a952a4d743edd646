package dev.berth.auth.token;

import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PrivateJwk;
import io.jsonwebtoken.security.PublicJwk;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys a registry trusts to sign tokens, as distribution's {@code auth.token} configures them: the
 * certificates of a {@code rootcertbundle} (anchors for a token's {@code x5c} chain, and their keys known by
 * key ID) and the keys of a {@code jwks} file. A key is known by its RFC 7638 thumbprint, by its libtrust
 * fingerprint (what registry:2 expects in {@code kid}), and by the {@code kid} its JWKS entry declares.
 * Immutable.
 */
public final class TrustedKeys {

    private final Map<String, PublicKey> byId;
    private final List<X509Certificate> roots;

    private TrustedKeys(Map<String, PublicKey> byId, List<X509Certificate> roots) {
        this.byId = Map.copyOf(byId);
        this.roots = List.copyOf(roots);
    }

    /** No key: a registry whose only token service is itself adds its own key with {@link #and}. */
    public static TrustedKeys none() {
        return new TrustedKeys(Map.of(), List.of());
    }

    /** One key, known by its thumbprint and libtrust fingerprint: how a registry trusts its own token service. */
    public static TrustedKeys of(PublicKey key) {
        return new TrustedKeys(ids(key), List.of());
    }

    /**
     * The PEM certificates of a {@code rootcertbundle}.
     *
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate
     */
    public static TrustedKeys fromCertificateBundle(Path bundle) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(bundle)))
                    .forEach(certificate -> certificates.add((X509Certificate) certificate));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read certificates from " + bundle + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(bundle + " holds no PEM certificate");
        }
        Map<String, PublicKey> byId = new HashMap<>();
        certificates.forEach(certificate -> byId.putAll(ids(certificate.getPublicKey())));
        return new TrustedKeys(byId, certificates);
    }

    /**
     * The public keys of a JSON Web Key Set file; private members of a key are ignored.
     *
     * @throws IllegalArgumentException when the file cannot be read, is not a JWKS, or holds a symmetric key
     */
    public static TrustedKeys fromJwks(Path file) {
        JwkSet set;
        try {
            set = Jwks.setParser().build().parse(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read a JSON Web Key Set from " + file + ": " + e.getMessage(),
                    e);
        }
        Map<String, PublicKey> byId = new HashMap<>();
        for (Jwk<?> jwk : set) {
            PublicJwk<?> key = switch (jwk) {
                case PublicJwk<?> publicJwk -> publicJwk;
                case PrivateJwk<?, ?, ?> privateJwk -> privateJwk.toPublicJwk();
                default -> throw new IllegalArgumentException(file + ": key " + jwk.getId() + " is a symmetric key; "
                        + "Berth verifies tokens with public keys only");
            };
            byId.putAll(ids(key.toKey()));
            Optional.ofNullable(jwk.getId()).ifPresent(id -> byId.put(id, key.toKey()));
        }
        if (byId.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no key");
        }
        return new TrustedKeys(byId, List.of());
    }

    /** These keys and the other's. */
    public TrustedKeys and(TrustedKeys other) {
        Map<String, PublicKey> byId = new HashMap<>(this.byId);
        byId.putAll(other.byId);
        List<X509Certificate> roots = new ArrayList<>(this.roots);
        roots.addAll(other.roots);
        return new TrustedKeys(byId, roots);
    }

    /** The key a token's {@code kid} names. */
    PublicKey byId(String keyId) {
        PublicKey key = byId.get(keyId);
        if (key == null) {
            throw new InvalidTokenException("signed by an unknown key");
        }
        return key;
    }

    /** A key a token carries in its {@code jwk} header, if it is one of the trusted keys. */
    PublicKey trusted(PublicKey key) {
        PublicKey known = byId.get(KeyIds.thumbprint(key));
        if (known == null || !known.equals(key)) {
            throw new InvalidTokenException("signed by an untrusted key");
        }
        return known;
    }

    /**
     * The key of a token's {@code x5c} leaf certificate, once the chain leads to a root of the bundle (or the
     * leaf is one of them); validity periods are checked at {@code now}, the root's included, as Go's verification
     * (distribution's) checks every certificate; revocation is not.
     */
    PublicKey leafOf(List<X509Certificate> chain, Instant now) {
        X509Certificate leaf = chain.getFirst();
        if (roots.contains(leaf)) {
            requireValid(leaf, now);
            return leaf.getPublicKey();
        }
        if (roots.isEmpty()) {
            throw new InvalidTokenException("x5c chains need auth.token.rootcertbundle");
        }
        // a chain may end with the root itself; PKIX wants the path without its anchor
        List<X509Certificate> path = new ArrayList<>(chain);
        while (roots.contains(path.getLast())) {
            path.removeLast();
        }
        try {
            Set<TrustAnchor> anchors = roots.stream().map(root -> new TrustAnchor(root, null))
                    .collect(Collectors.toSet());
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            // PKIX checks the dates of the path, not of the anchor it ends in
            requireValid(result.getTrustAnchor().getTrustedCert(), now);
        } catch (GeneralSecurityException e) {
            throw new InvalidTokenException("x5c chain does not lead to a trusted root");
        }
        return leaf.getPublicKey();
    }

    private static void requireValid(X509Certificate certificate, Instant now) {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new InvalidTokenException("x5c certificate " + certificate.getSubjectX500Principal().getName()
                    + " is not valid now");
        }
    }

    private static Map<String, PublicKey> ids(PublicKey key) {
        return Map.of(KeyIds.thumbprint(key), key, KeyIds.libtrust(key), key);
    }
}
