package dev.berth.api;

/** A method the endpoint does not take: a 405, which must say in {@code Allow} which methods it does take. */
public final class MethodNotAllowedException extends ApiException {

    private final String allowed;

    /** {@code allowed}: the endpoint's methods, as the {@code Allow} header lists them ("GET, HEAD"). */
    public MethodNotAllowedException(String message, String allowed) {
        super(ErrorCode.UNSUPPORTED, message);
        this.allowed = allowed;
    }

    public String allowed() {
        return allowed;
    }
}
