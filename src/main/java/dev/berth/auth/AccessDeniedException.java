package dev.berth.auth;

/** The caller is known but may not do what it asks: answered 403 DENIED. */
public final class AccessDeniedException extends AuthException {

    private final String user;

    public AccessDeniedException(String user, String message) {
        super(message);
        this.user = user;
    }

    /** Who was refused, for the access log. */
    public String user() {
        return user;
    }
}
