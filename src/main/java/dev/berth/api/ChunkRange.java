package dev.berth.api;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range} of an upload chunk: {@code <start>-<end>}, inclusive, as the spec writes it
 * (a {@code bytes } prefix and a {@code /total} suffix are tolerated).
 */
public record ChunkRange(long start, long end) {

    private static final Pattern FORM = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/(?:\\d+|\\*))?");

    public long length() {
        return end - start + 1;
    }

    public static Optional<ChunkRange> parse(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(header.strip());
        try {
            if (m.matches()) {
                long start = Long.parseLong(m.group(1));
                long end = Long.parseLong(m.group(2));
                if (end >= start) {
                    return Optional.of(new ChunkRange(start, end));
                }
            }
        } catch (NumberFormatException e) {
            // too large to be a real offset: malformed
        }
        throw new ApiException(ErrorCode.RANGE_INVALID, "malformed Content-Range: " + header);
    }

    /** The {@code Range} header telling a client how much of its upload the registry holds. */
    public static String uploaded(long size) {
        return "0-" + Math.max(0, size - 1);
    }
}
