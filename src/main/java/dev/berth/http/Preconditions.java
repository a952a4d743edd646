package dev.berth.http;

import java.util.Optional;

/**
 * RFC 9110's conditional GET and HEAD for content named by its digest, whose entity tag (the quoted digest) never
 * changes: {@code If-Match}, {@code If-None-Match} and {@code If-Range}. No {@code Last-Modified} is sent, so the
 * date forms never match.
 */
final class Preconditions {

    private Preconditions() {
    }

    /**
     * Answers 412 or 304 and returns true when a precondition ends the request before its content, of
     * {@code contentLength} bytes, is sent.
     */
    static boolean answered(Exchange exchange, String etag, long contentLength) {
        Optional<String> ifMatch = exchange.header("If-Match");
        if (ifMatch.isPresent() && !listed(ifMatch.get(), etag, false)) {
            exchange.sendEmpty(412);
            return true;
        }
        Optional<String> ifNoneMatch = exchange.header("If-None-Match");
        if (ifNoneMatch.isPresent() && listed(ifNoneMatch.get(), etag, true)) {
            exchange.sendNotModified(contentLength);
            return true;
        }
        return false;
    }

    /** The {@code Range} header to honour: none when {@code If-Range} names anything but this entity tag. */
    static Optional<String> range(Exchange exchange, String etag) {
        Optional<String> range = exchange.header("Range");
        Optional<String> ifRange = exchange.header("If-Range");
        return ifRange.isPresent() && !ifRange.get().strip().equals(etag) ? Optional.empty() : range;
    }

    /** Whether a list of entity tags names {@code etag} or is {@code *}; weak tags count only where allowed. */
    private static boolean listed(String header, String etag, boolean weakComparison) {
        for (String element : header.split(",")) {
            String tag = element.strip();
            if (weakComparison && tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
