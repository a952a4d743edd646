package dev.berth.config;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as distribution writes them (Go's syntax): {@code 1h}, {@code 30m}, {@code 1h30m}, {@code 0}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");
    private static final Map<String, Duration> UNITS = Map.of("ms", Duration.ofMillis(1), "s", Duration.ofSeconds(1),
            "m", Duration.ofMinutes(1), "h", Duration.ofHours(1));

    private Durations() {
    }

    /** {@link IllegalArgumentException} when the text is not a non-negative duration. */
    public static Duration parse(String text) {
        String trimmed = text.strip();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("not a duration (like 1h, 30m, 90s, 1h30m or 0): " + text);
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(trimmed);
        while (part.find()) {
            total = total.plus(UNITS.get(part.group(2)).multipliedBy(Long.parseLong(part.group(1))));
        }
        return total;
    }
}
