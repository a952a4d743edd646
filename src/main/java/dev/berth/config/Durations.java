package dev.berth.config;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as distribution writes them (Go's syntax): {@code 1h}, {@code 30m}, {@code 1h30m},
 * {@code 1.5s}, {@code 500ms}, {@code 0}; a bare number counts nanoseconds, as distribution's reference says.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(?:\\.(\\d+))?(ns|us|µs|ms|s|m|h)");
    /** Digits of a fraction that count: as many as a long holds, as in Go. */
    private static final int FRACTION_DIGITS = 18;
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
        try {
            if (trimmed.chars().allMatch(Character::isDigit)) {
                return Duration.ofNanos(Long.parseLong(trimmed));
            }
            long nanos = 0;
            Matcher part = PART.matcher(trimmed);
            while (part.find()) {
                long unit = NANOS.get(part.group(3));
                nanos = Math.addExact(nanos, Math.multiplyExact(Long.parseLong(part.group(1)), unit));
                if (part.group(2) != null) {
                    nanos = Math.addExact(nanos, fraction(part.group(2), unit));
                }
            }
            return Duration.ofNanos(nanos);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("too long a duration (at most about 292 years): " + text);
        }
    }

    /**
     * A fraction of a unit in nanoseconds, computed as Go's {@code time.ParseDuration} does, in floating point (exact
     * for fractions such as {@code 1.5s} or {@code 0.25h}); not with {@code BigDecimal}, whose class initializer took
     * tens of milliseconds of a server's start.
     */
    private static long fraction(String digits, long unit) {
        String counted = digits.length() > FRACTION_DIGITS ? digits.substring(0, FRACTION_DIGITS) : digits;
        return (long) (Long.parseLong(counted) * (unit / Math.pow(10, counted.length())));
    }
}
