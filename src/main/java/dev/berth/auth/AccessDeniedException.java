package dev.berth.auth;

/** The caller is known but may not do what it asks: answered 403 DENIED. */
public final class AccessDeniedException extends AuthException {
    public AccessDeniedException(String message) {
        super(message);
    }
}
