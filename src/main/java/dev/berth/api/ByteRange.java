package dev.berth.api;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One satisfiable byte range of a blob (RFC 9110 range requests), inclusive at both ends. */
public record ByteRange(long first, long last) {

    /** One range-spec; the unit is case-insensitive, and blanks after the {@code =} pass, as in Go's servers. */
    private static final Pattern SINGLE = Pattern.compile("bytes=[ \\t]*(\\d*)-(\\d*)", Pattern.CASE_INSENSITIVE);
    private static final String UNIT = "bytes=";

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value of a 206 answer. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range a {@code Range} header selects from content of {@code size} bytes: empty when there is no header,
     * or one that RFC 9110 lets a server ignore and answer with the whole content: a unit other than bytes (which
     * it must ignore), or several ranges (served whole rather than as a multipart body no registry client reads).
     *
     * @throws UnsatisfiableRangeException when a single byte range is malformed or selects nothing
     */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String specifier = header.strip();
        if (!specifier.regionMatches(true, 0, UNIT, 0, UNIT.length()) || specifier.indexOf(',') >= 0) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(specifier);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw new UnsatisfiableRangeException(header, size);
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new UnsatisfiableRangeException(header, size);
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || last < first) {
                throw new UnsatisfiableRangeException(header, size);
            }
            return Optional.of(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            throw new UnsatisfiableRangeException(header, size);
        }
    }
}
