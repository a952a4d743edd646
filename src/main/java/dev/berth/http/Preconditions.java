package dev.berth.http;

import dev.berth.api.ApiException;
import dev.berth.api.ErrorCode;
import java.util.Optional;

/**
 * RFC 9110's conditional requests for content named by its digest, whose entity tag (the quoted digest) never
 * changes: {@code If-Match}, {@code If-None-Match} and {@code If-Range} on GET and HEAD, and the first two on writes
 * (of a tag, whose entity tag is that of the manifest it names). No {@code Last-Modified} is sent, so the date forms
 * never match.
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

    /** Whether the request is a conditional write: one whose answer may be 412. */
    static boolean conditional(Exchange exchange) {
        return exchange.header("If-Match").isPresent() || exchange.header("If-None-Match").isPresent();
    }

    /**
     * Refuses a write (412) whose condition does not hold for {@code current}, the entity tag of what the target
     * holds now, if anything: {@code If-Match} needs it listed ({@code *}: anything there), {@code If-None-Match}
     * needs it not listed ({@code *}: nothing there).
     */
    static void requireForWrite(Exchange exchange, Optional<String> current) {
        Optional<String> ifMatch = exchange.header("If-Match");
        if (ifMatch.isPresent() && (current.isEmpty() || !listed(ifMatch.get(), current.get(), false))) {
            throw new ApiException(ErrorCode.PRECONDITION_FAILED, "If-Match " + ifMatch.get() + " does not hold: "
                    + current.orElse("nothing") + " is there");
        }
        Optional<String> ifNoneMatch = exchange.header("If-None-Match");
        if (ifNoneMatch.isPresent() && current.isPresent() && listed(ifNoneMatch.get(), current.get(), true)) {
            throw new ApiException(ErrorCode.PRECONDITION_FAILED, "If-None-Match " + ifNoneMatch.get()
                    + " does not hold: " + current.get() + " is there");
        }
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
