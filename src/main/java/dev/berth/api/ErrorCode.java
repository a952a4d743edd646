package dev.berth.api;

/**
 * The error codes of the OCI distribution spec and of distribution's API, each with the HTTP status it is
 * sent with. Handlers never choose a status themselves.
 */
public enum ErrorCode {
    BLOB_UNKNOWN("BLOB_UNKNOWN", 404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID("BLOB_UPLOAD_INVALID", 400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry"),
    DIGEST_INVALID("DIGEST_INVALID", 400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN("MANIFEST_BLOB_UNKNOWN", 400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID("MANIFEST_INVALID", 400, "manifest invalid"),
    MANIFEST_UNKNOWN("MANIFEST_UNKNOWN", 404, "manifest unknown to registry"),
    NAME_INVALID("NAME_INVALID", 400, "invalid repository name"),
    NAME_UNKNOWN("NAME_UNKNOWN", 404, "repository name not known to registry"),
    SIZE_INVALID("SIZE_INVALID", 400, "provided length did not match content length"),
    /** A manifest over the size limit: the spec's code with 413, as the spec recommends for it. */
    MANIFEST_TOO_LARGE("SIZE_INVALID", 413, "manifest too large"),
    TAG_INVALID("TAG_INVALID", 400, "invalid tag"),
    RANGE_INVALID("RANGE_INVALID", 416, "invalid content range"),
    PAGINATION_NUMBER_INVALID("PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested"),
    UNAUTHORIZED("UNAUTHORIZED", 401, "authentication required"),
    DENIED("DENIED", 403, "requested access to the resource is denied"),
    UNSUPPORTED("UNSUPPORTED", 405, "the operation is unsupported"),
    /** A path that names no endpoint of the API. */
    NOT_FOUND("UNSUPPORTED", 404, "no such endpoint"),
    /** A request the HTTP server refuses to read: a target it will not decode, headers too large. */
    MALFORMED("UNSUPPORTED", 400, "malformed request"),
    TOOMANYREQUESTS("TOOMANYREQUESTS", 429, "too many requests"),
    /** A conditional write ({@code If-Match}, {@code If-None-Match}) whose condition does not hold. */
    PRECONDITION_FAILED("UNSUPPORTED", 412, "precondition failed"),
    /** A health check fails: distribution's answer to every request until it passes again. */
    UNAVAILABLE("UNAVAILABLE", 503, "service unavailable"),
    UNKNOWN("UNKNOWN", 500, "unknown error");

    private final String code;
    private final int status;
    private final String message;

    ErrorCode(String code, int status, String message) {
        this.code = code;
        this.status = status;
        this.message = message;
    }

    /** The value of the {@code code} field in the error envelope. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }
}
