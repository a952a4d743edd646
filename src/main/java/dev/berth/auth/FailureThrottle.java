package dev.berth.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
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

    private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(15))
            .maximumSize(100_000)
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
        return client + "\0" + user;
    }

    /**
     * The name as the client sent it, quoted, with control characters escaped: it is not yet known to be a user's,
     * and a line break in it would otherwise forge a log line.
     */
    static String quoted(String user) {
        StringBuilder quoted = new StringBuilder(user.length() + 2).append('"');
        user.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }
}
