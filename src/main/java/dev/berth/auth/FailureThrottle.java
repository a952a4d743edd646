package dev.berth.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.berth.oci.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down guessing: after a few failed logins in a row from one client for one user, each further failure
 * is answered only after a delay that doubles up to a cap. Failures are logged with user and client, never
 * with the password. Thread-safe.
 */
public final class FailureThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(FailureThrottle.class);
    private static final int FREE_FAILURES = 3;
    private static final Duration FIRST_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);
    /**
     * A user name longer than this is counted by its digest and logged cut short: a name is only as long as the
     * 16 KiB request head allows, and 5,000 failures under long names, cheap since no bcrypt runs for them, filled
     * the launcher's heap.
     */
    static final int LONG_NAME = 128;

    /** About 250 bytes of heap each: 5 MiB at most. */
    private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(15))
            .maximumSize(20_000)
            .build();

    /** Records a failure and holds the calling (virtual) thread for the penalty it earned. */
    public void failed(String user, String client) {
        int count = failures.get(key(user, client), k -> new AtomicInteger()).incrementAndGet();
        LOG.warn("authentication failed for user {} from {} ({} in a row)", quoted(user), client, count);
        Duration delay = delay(count);
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void succeeded(String user, String client) {
        failures.invalidate(key(user, client));
    }

    static Duration delay(int failuresInARow) {
        if (failuresInARow <= FREE_FAILURES) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failuresInARow - FREE_FAILURES - 1, 10);
        Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    private static String key(String user, String client) {
        if (user.length() <= LONG_NAME) {
            return client + "\0" + user;
        }
        byte[] digest = DigestAlgorithm.SHA256.newMessageDigest().digest(user.getBytes(StandardCharsets.UTF_8));
        return client + "\0sha256:" + HexFormat.of().formatHex(digest);
    }

    /**
     * The name as the client sent it, quoted, with control characters escaped: it is not yet known to be a user's,
     * and a line break in it would otherwise forge a log line.
     */
    static String quoted(String user) {
        String shown = user.length() <= LONG_NAME ? user : user.substring(0, LONG_NAME);
        StringBuilder quoted = new StringBuilder(shown.length() + 2).append('"');
        shown.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        quoted.append('"');
        return user.length() <= LONG_NAME ? quoted.toString() : quoted + "... (" + user.length() + " characters)";
    }
}
