package dev.berth.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A response as read: status, headers (names in lower case, first value), the body when it was small enough to
 * keep, and how many body bytes arrived in all.
 */
record Response(int status, Map<String, String> headers, byte[] body, long received) {

    Response {
        headers = Map.copyOf(headers);
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The status line and, for an error, the start of its body: what a failure report shows. */
    String summary() {
        String text = text();
        return status + (text.isEmpty() ? "" : " " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
    }
}
