package dev.berth.auth;

/**
 * Credentials are missing, wrong, or (for tokens) lack the scope asked for: answered 401 with a
 * {@code WWW-Authenticate} challenge telling the client how to authenticate.
 */
public final class AuthenticationRequiredException extends AuthException {

    private final String challenge;

    public AuthenticationRequiredException(String challenge, String message) {
        super(message);
        this.challenge = challenge;
    }

    /** The value of the {@code WWW-Authenticate} header. */
    public String challenge() {
        return challenge;
    }
}
