package dev.berth.auth.token;

import io.jsonwebtoken.security.Jwks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private key Berth's token service signs with: an EC (P-256, P-384, P-521), RSA or Ed25519 key in a PKCS#8
 * PEM file ({@code -----BEGIN PRIVATE KEY-----}, as {@code openssl genpkey} writes it). The algorithm follows
 * from the key (ES256 for P-256); the {@code kid} of its tokens is the libtrust fingerprint of the public key,
 * which registry:2 and Berth both look keys up by.
 */
public final class SigningKey {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKey.class);
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> KEY_TYPES = List.of("EC", "RSA", "Ed25519");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private SigningKey(PrivateKey privateKey) {
        this.privateKey = privateKey;
        this.publicKey = Jwks.builder().key(privateKey).build().toPublicJwk().toKey();
        this.keyId = KeyIds.libtrust(publicKey);
    }

    /**
     * Reads a configured key.
     *
     * @throws IllegalArgumentException when the file cannot be read or holds no PKCS#8 private key
     */
    public static SigningKey read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(file + " holds no PKCS#8 private key (BEGIN PRIVATE KEY); "
                    + "convert one with openssl pkcs8 -topk8 -nocrypt");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        for (String type : KEY_TYPES) {
            try {
                return new SigningKey(KeyFactory.getInstance(type).generatePrivate(spec));
            } catch (GeneralSecurityException e) {
                // not a key of this type: try the next
            }
        }
        throw new IllegalArgumentException(file + " holds no EC, RSA or Ed25519 private key");
    }

    /**
     * Reads the key at {@code file}, first generating a P-256 key there (readable by the owner only) if there
     * is none, so tokens stay valid across restarts.
     *
     * @throws IllegalArgumentException when the file cannot be read or written
     */
    public static SigningKey readOrCreate(Path file) {
        if (Files.notExists(file)) {
            create(file);
        }
        return read(file);
    }

    private static void create(Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            byte[] encoded = generator.generateKeyPair().getPrivate().getEncoded();
            String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(encoded) + "\n-----END PRIVATE KEY-----\n";
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path temp = Files.createTempFile(directory, ".token-key-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temp, pem, StandardCharsets.US_ASCII);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            LOG.info("generated the token signing key {}", file);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot create a signing key at " + file + ": " + e.getMessage(), e);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    String keyId() {
        return keyId;
    }
}
