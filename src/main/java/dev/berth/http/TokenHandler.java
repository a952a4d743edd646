package dev.berth.http;

import dev.berth.api.Bodies;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.token.IssuedToken;
import dev.berth.auth.token.TokenIssuer;

/**
 * {@code GET /auth/token?service=...&scope=...}: Berth's own token service. Clients come here with Basic
 * credentials (or none) after a Bearer challenge and leave with a token; {@code service}, {@code account},
 * {@code client_id} and {@code offline_token} are accepted and ignored, as tokens are only ever for this registry.
 */
final class TokenHandler {

    private final TokenIssuer issuer;

    TokenHandler(TokenIssuer issuer) {
        this.issuer = issuer;
    }

    void issue(Exchange exchange, AuthRequest credentials) {
        IssuedToken token = issuer.issue(credentials, exchange.queryAll("scope"));
        // a token is a credential: no cache may keep it (RFC 6749 section 5.1)
        exchange.header("Cache-Control", "no-store");
        exchange.send(200, "application/json", Bodies.token(token.token(), token.expiresIn().toSeconds(),
                token.issuedAt().toString()));
    }
}
