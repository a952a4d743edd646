package dev.berth.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key and its certificate chain, leaf first. Valid by construction: the key belongs to the leaf,
 * so a server never starts with a pair that fails every handshake.
 */
public record CertifiedKey(PrivateKey key, List<X509Certificate> chain) {

    public CertifiedKey {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new TlsException("a certificate chain needs at least one certificate");
        }
        if (!belongsTo(key, chain.getFirst())) {
            throw new TlsException("the private key does not belong to the certificate "
                    + chain.getFirst().getSubjectX500Principal().getName());
        }
    }

    /** A certificate file (the leaf, then any intermediates) and its key file. */
    public static CertifiedKey read(Path certificate, Path key) {
        List<X509Certificate> chain = PemFiles.certificates(certificate);
        PrivateKey privateKey = PemFiles.privateKey(key);
        try {
            return new CertifiedKey(privateKey, chain);
        } catch (TlsException e) {
            throw new TlsException(key + ": " + e.getMessage() + " in " + certificate, e);
        }
    }

    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** Signs a random challenge with the key and checks it with the certificate's public key. */
    private static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm(key));
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(key));
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The signature algorithm for a key type: RSA and EC keys sign with SHA-256, EdDSA keys as they are. */
    public static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw new TlsException("unsupported private key type " + key.getAlgorithm()
                    + "; use an RSA, EC or Ed25519 key");
        };
    }
}
