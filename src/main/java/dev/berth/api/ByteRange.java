package dev.berth.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One satisfiable byte range of a blob (RFC 9110 range requests), inclusive at both ends. */
public record ByteRange(long first, long last) {

    /** One range-spec of the set after {@code bytes=}, blanks around it trimmed. */
    private static final Pattern SPEC = Pattern.compile("(\\d*)-(\\d*)");
    private static final String UNIT = "bytes=";

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value of a 206 answer, or of one part of a multipart one. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The ranges a {@code Range} header selects from content of {@code size} bytes, in the order asked, those
     * that select nothing left out. Empty for the whole content: when there is no header, or one that RFC 9110
     * lets a server ignore: a unit other than bytes (which it must ignore), or ranges that add up to more than the
     * content (overlapping ones, which would make the answer larger than the blob; Go's servers ignore them too).
     *
     * @throws UnsatisfiableRangeException when a range-spec is malformed, or none selects anything
     */
    public static List<ByteRange> parse(String header, long size) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        String specifier = header.strip();
        if (!specifier.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
            return List.of();
        }
        List<ByteRange> ranges = new ArrayList<>();
        long total = 0;
        for (String element : specifier.substring(UNIT.length()).split(",", -1)) {
            String spec = element.strip();
            if (spec.isEmpty()) {
                continue; // an empty list element, which RFC 9110's list syntax allows
            }
            ByteRange range = selected(spec, header, size);
            if (range != null) {
                ranges.add(range);
                total += range.length();
            }
        }
        if (ranges.isEmpty()) {
            throw new UnsatisfiableRangeException(header, size);
        }
        return total > size ? List.of() : List.copyOf(ranges);
    }

    /** The range one range-spec selects, or null when it selects nothing of the content. */
    private static ByteRange selected(String spec, String header, long size) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw new UnsatisfiableRangeException(header, size);
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                return suffix == 0 || size == 0 ? null : new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                throw new UnsatisfiableRangeException(header, size);
            }
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            return first >= size ? null : new ByteRange(first, last);
        } catch (NumberFormatException e) {
            throw new UnsatisfiableRangeException(header, size);
        }
    }
}
