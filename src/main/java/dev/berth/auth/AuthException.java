package dev.berth.auth;

/** A request refused by access control. Messages never contain a credential. */
public abstract sealed class AuthException extends RuntimeException
        permits AuthenticationRequiredException, AccessDeniedException {

    protected AuthException(String message) {
        super(message, null, false, false);
    }
}
