package dev.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * What the benchmark sends as {@code Authorization}: nothing, or the user's Basic credentials, until the registry
 * challenges for Bearer tokens; from then on a token from its token service for the repository each request is
 * about, with pull and push, as a client that pushes asks for both. Thread-safe.
 */
final class Authorization {

    private final Optional<String> basic;
    private final Optional<TlsClient> tls;
    private final Clock clock;
    private volatile TokenService tokens;

    /**
     * @param credentials {@code user:password}, or empty for none
     * @param tls         how the registry is reached over TLS, if it is: a token service on {@code https} is too
     */
    Authorization(String credentials, Optional<TlsClient> tls, Clock clock) {
        this.basic = credentials.isEmpty() ? Optional.empty()
                : Optional.of("Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)));
        this.tls = tls;
        this.clock = clock;
    }

    /** The header for a request about {@code repository}, or about none (the base endpoint). */
    Optional<String> header(Optional<String> repository) throws IOException {
        TokenService service = tokens;
        if (service == null) {
            return basic;
        }
        return Optional.of("Bearer " + service.token(repository.map(r -> "repository:" + r + ":pull,push").orElse("")));
    }

    /**
     * Takes up the token service a 401 challenges for: true when it named one, so the request may be sent again
     * with a token; false for any other answer, to be reported as it is.
     */
    boolean follow(Response response) {
        if (response.status() != 401 || tokens != null) {
            return false;
        }
        Optional<TokenService> service = response.header("WWW-Authenticate")
                .flatMap(challenge -> TokenService.challenged(challenge, basic, tls, clock));
        service.ifPresent(s -> tokens = s);
        return service.isPresent();
    }
}
