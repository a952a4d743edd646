package dev.berth.auth.htpasswd;

import dev.berth.auth.AuthRequest;
import dev.berth.auth.AuthenticationRequiredException;
import dev.berth.auth.Authenticator;
import dev.berth.auth.BasicCredentials;
import dev.berth.auth.FailureThrottle;
import java.util.Optional;

/**
 * Basic credentials checked against an htpasswd file, failures slowed down by a {@link FailureThrottle}. Wrong
 * or malformed credentials get 401 with a Basic challenge for the realm. Thread-safe.
 */
public final class HtpasswdAuthenticator implements Authenticator {

    private final PasswordVerifier passwords;
    private final String challenge;
    private final FailureThrottle throttle;

    public HtpasswdAuthenticator(HtpasswdFile file, String realm, FailureThrottle throttle) {
        this.passwords = new PasswordVerifier(file);
        this.challenge = "Basic realm=\"" + realm.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        this.throttle = throttle;
    }

    /** The value of the {@code WWW-Authenticate} header that asks for Basic credentials. */
    String challenge() {
        return challenge;
    }

    @Override
    public Optional<String> authenticate(AuthRequest request) {
        Optional<BasicCredentials> credentials;
        try {
            credentials = BasicCredentials.parse(request.authorization());
        } catch (IllegalArgumentException e) {
            throw new AuthenticationRequiredException(challenge, e.getMessage());
        }
        return credentials.map(c -> verify(c, request.clientAddress()));
    }

    private String verify(BasicCredentials credentials, String client) {
        if (!passwords.verify(credentials.user(), credentials.password())) {
            throttle.failed(credentials.user(), client);
            throw new AuthenticationRequiredException(challenge, "invalid user name or password");
        }
        throttle.succeeded(credentials.user(), client);
        return credentials.user();
    }
}
