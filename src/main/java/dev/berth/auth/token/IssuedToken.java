package dev.berth.auth.token;

import java.time.Duration;
import java.time.Instant;

/** A token as the token endpoint hands it out (spec/auth/token.md, "Token Response Fields"). */
public record IssuedToken(String token, Duration expiresIn, Instant issuedAt) {

    /** Hides the token, a credential, from logs and exception messages. */
    @Override
    public String toString() {
        return "IssuedToken[expiresIn=" + expiresIn + ", issuedAt=" + issuedAt + "]";
    }
}
