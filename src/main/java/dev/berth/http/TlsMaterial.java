package dev.berth.http;

import dev.berth.tls.CertifiedKey;
import dev.berth.tls.PemFiles;
import dev.berth.tls.TlsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.spec.PBEParameterSpec;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The key and trust stores read from a {@link TlsOptions}' PEM files, ready for Jetty. */
record TlsMaterial(X509Certificate certificate, KeyStore keys, Optional<KeyStore> trust) {

    /** Protects the key entry of a store that only ever lives in memory. */
    private static final String STORE_PASSWORD = "berth-in-memory";
    /**
     * How: with one round of the key derivation instead of PKCS12's default 10,000, which the store's encryption
     * of the key and Jetty's decryption of it each ran through the interpreter at every start, a third of a second
     * of a TLS start (docs/performance-changes.md, change 44). The store never leaves the process, where the key is in
     * the clear anyway.
     */
    private static final String PROTECTION = "PBEWithHmacSHA256AndAES_256";

    static TlsMaterial read(TlsOptions options) {
        CertifiedKey certified = CertifiedKey.read(options.certificate(), options.key());
        try {
            KeyStore keys = emptyStore();
            keys.setEntry("server", new KeyStore.PrivateKeyEntry(certified.key(),
                    certified.chain().toArray(Certificate[]::new)), new KeyStore.PasswordProtection(
                    STORE_PASSWORD.toCharArray(), PROTECTION, new PBEParameterSpec(new byte[16], 1)));
            Optional<KeyStore> trust = Optional.empty();
            if (!options.clientCas().isEmpty()) {
                KeyStore store = emptyStore();
                List<X509Certificate> authorities = new ArrayList<>();
                options.clientCas().forEach(file -> authorities.addAll(PemFiles.certificates(file)));
                for (int i = 0; i < authorities.size(); i++) {
                    store.setCertificateEntry("client-ca-" + i, authorities.get(i));
                }
                trust = Optional.of(store);
            }
            return new TlsMaterial(certified.certificate(), keys, trust);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot build a key store: " + e.getMessage(), e);
        }
    }

    void applyTo(SslContextFactory.Server context) {
        context.setKeyStore(keys);
        context.setKeyStorePassword(STORE_PASSWORD);
        // without client CAs nothing is checked against a trust store, and given none, Jetty would load the JDK's
        // whole set of trusted CAs at every start (90 ms of a TLS start)
        context.setTrustStore(trust.orElseGet(TlsMaterial::noAuthorities));
    }

    private static KeyStore noAuthorities() {
        try {
            return emptyStore();
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    /** A digest of the files' contents (and of which are missing), to tell when any of them changed. */
    static String fingerprint(TlsOptions options) {
        List<Path> files = new ArrayList<>(List.of(options.certificate(), options.key()));
        files.addAll(options.clientCas());
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
                try {
                    digest.update(Files.readAllBytes(file));
                } catch (IOException unreadable) {
                    // missing for a moment while it is replaced: the next change is noticed all the same
                    digest.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
