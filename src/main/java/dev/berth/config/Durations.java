package dev.berth.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as distribution writes them (Go's syntax): {@code 1h}, {@code 30m}, {@code 1h30m},
 * {@code 1.5s}, {@code 500ms}, {@code 0}; a bare number counts nanoseconds, as distribution's reference says.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ns|us|µs|ms|s|m|h))+|\\d+");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private Durations() {
    }

    /** {@link IllegalArgumentException} when the text is not a non-negative duration. */
    public static Duration parse(String text) {
        String trimmed = text.strip();
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("not a duration (like 1h, 30m, 90s, 1h30m or 0): " + text);
        }
        if (trimmed.chars().allMatch(Character::isDigit)) {
            return Duration.ofNanos(Long.parseLong(trimmed));
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(trimmed);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS.get(part.group(2)))));
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
