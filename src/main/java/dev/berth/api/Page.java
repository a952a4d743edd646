package dev.berth.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a sorted listing ({@code ?n=&last=}): the entries after {@code last}, at most {@code n} of them,
 * and whether more follow, for the {@code Link} header.
 */
public record Page<T>(List<T> entries, boolean more) {

    /** The page of {@code sorted} after {@code last} (from the start when empty) of {@code limit} entries at most. */
    public static <T> Page<T> of(List<T> sorted, Function<T, String> key, Optional<Integer> limit, String last) {
        List<T> after = last.isEmpty()
                ? sorted
                : sorted.stream().filter(e -> key.apply(e).compareTo(last) > 0).toList();
        if (limit.isPresent() && limit.get() == 0) {
            // OCI distribution spec, "Listing Tags": n=0 is an empty list and no Link header
            return new Page<>(List.of(), false);
        }
        if (limit.isEmpty() || after.size() <= limit.get()) {
            return new Page<>(after, false);
        }
        return new Page<>(after.subList(0, limit.get()), true);
    }

    /** The page size asked for with {@code ?n=}, none when absent or empty. */
    public static Optional<Integer> limit(String n) {
        if (n == null || n.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(n);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.PAGINATION_NUMBER_INVALID, "n must be a non-negative integer: " + n);
        }
    }

    /** The {@code Link} header pointing at the next page, RFC 5988 style as distribution sends it. */
    public static String nextLink(String path, int n, String last) {
        return "<" + path + "?n=" + n + "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8) + ">; rel=\"next\"";
    }
}
