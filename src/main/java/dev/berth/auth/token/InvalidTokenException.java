package dev.berth.auth.token;

/**
 * A bearer token that cannot be trusted: malformed, badly signed, by an unknown key, expired, or for another
 * issuer or audience. The message says which, and never contains the token.
 */
final class InvalidTokenException extends RuntimeException {

    InvalidTokenException(String reason) {
        super(reason, null, false, false);
    }
}
