package dev.berth.api;

/** A request that breaks the wire contract itself (unknown endpoint, malformed header or parameter). */
public class ApiException extends RuntimeException {

    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
