package dev.berth.auth.htpasswd;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks passwords against an {@link HtpasswdFile}. bcrypt is slow on purpose, so a credential that verified
 * is remembered for a short while, keyed by an HMAC of user and password under a key that lives only in this
 * process (the password itself is never kept). Unknown users cost one bcrypt too, so timing does not tell
 * which users exist. Thread-safe.
 */
final class PasswordVerifier {

    /** bcrypt looks at 72 bytes at most; longer passwords are refused rather than silently cut. */
    private static final int MAX_PASSWORD_BYTES = 72;
    private static final Duration REMEMBER = Duration.ofMinutes(2);

    private final HtpasswdFile file;
    /** Keyed once and never used itself: each request clones it, which skips the provider lookup and key setup. */
    private final Mac keyedMac;
    private final byte[] decoyHash;
    private final Cache<String, Long> verified = Caffeine.newBuilder()
            .expireAfterWrite(REMEMBER)
            .maximumSize(10_000)
            .build();

    PasswordVerifier(HtpasswdFile file) {
        this.file = file;
        byte[] secret = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(secret);
        try {
            this.keyedMac = Mac.getInstance("HmacSHA256");
            keyedMac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
        byte[] decoyPassword = new byte[16];
        random.nextBytes(decoyPassword);
        this.decoyHash = BCrypt.withDefaults().hash(10, decoyPassword);
    }

    boolean verify(String user, String password) {
        String key = cacheKey(user, password);
        long generation = file.generationNumber();
        Long seen = verified.getIfPresent(key);
        if (seen != null && seen == generation) {
            return true;
        }
        byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
        byte[] hash = file.hash(user).orElse(decoyHash);
        boolean ok = passwordBytes.length <= MAX_PASSWORD_BYTES
                && BCrypt.verifyer().verify(passwordBytes, hash).verified
                && hash != decoyHash;
        if (ok) {
            verified.put(key, generation);
        }
        return ok;
    }

    private String cacheKey(String user, String password) {
        Mac mac;
        try {
            mac = (Mac) keyedMac.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 cannot be cloned", e);
        }
        mac.update(user.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    }
}
