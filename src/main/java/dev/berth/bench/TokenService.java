package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A registry's token service, used as the Docker Registry token protocol has clients use it: a 401 whose
 * {@code WWW-Authenticate} asks for a Bearer token names the service's realm, and a GET there, with the user's
 * Basic credentials when there are any, answers with a token for the scope asked for. A token is asked for once per
 * scope, and again once half its lifetime has passed, so that none expires while in use. Thread-safe.
 */
final class TokenService {

    /** What the token protocol says a client should assume when an answer gives no lifetime. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

    private final InetSocketAddress address;
    private final Optional<TlsClient> tls;
    private final String target;
    private final Optional<String> basic;
    private final Clock clock;
    private final ConcurrentMap<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant renewAt) {
    }

    private TokenService(InetSocketAddress address, Optional<TlsClient> tls, String target, Optional<String> basic,
                         Clock clock) {
        this.address = address;
        this.tls = tls;
        this.target = target;
        this.basic = basic;
        this.clock = clock;
    }

    /**
     * The service a {@code WWW-Authenticate} value challenges for; empty when it asks for something else than a
     * Bearer token. Like the registry, the service must be on this machine.
     *
     * @param basic the {@code Authorization} value to send the service, when there are credentials
     * @param tls   how the registry is reached over TLS, if it is; a service on {@code https} is reached the same
     *              way, or trusting the JDK's CAs when the registry is plain HTTP
     */
    static Optional<TokenService> challenged(String header, Optional<String> basic, Optional<TlsClient> tls,
                                             Clock clock) {
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        Map<String, String> parameters = parameters(header.substring(7));
        String realm = parameters.get("realm");
        if (realm == null) {
            throw new CheckFailedException("the Bearer challenge names no realm: " + header);
        }
        URI uri;
        try {
            uri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new CheckFailedException("the Bearer challenge's realm is not a URL: " + realm);
        }
        boolean https = "https".equals(uri.getScheme());
        if (!(https || "http".equals(uri.getScheme())) || uri.getHost() == null || !loopback(uri.getHost())) {
            throw new CheckFailedException("the token service " + realm + " is not on this machine, which is all "
                    + "the benchmark speaks to");
        }
        StringBuilder target = new StringBuilder(uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()).append('?');
        if (uri.getRawQuery() != null) {
            target.append(uri.getRawQuery()).append('&');
        }
        Optional.ofNullable(parameters.get("service")).ifPresent(service -> target.append("service=")
                .append(URLEncoder.encode(service, StandardCharsets.UTF_8)).append('&'));
        InetSocketAddress address = new InetSocketAddress(uri.getHost(),
                uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80);
        Optional<TlsClient> serviceTls = Optional.empty();
        if (https) {
            try {
                serviceTls = Optional.of(tls.isPresent() ? tls.get() : TlsClient.trustingTheSystem());
            } catch (GeneralSecurityException e) {
                throw new CheckFailedException("no TLS for the token service " + realm + ": " + e.getMessage());
            }
        }
        return Optional.of(new TokenService(address, serviceTls, target.toString(), basic, clock));
    }

    /** A token for {@code scope} (none when empty), from the cache while it is less than half its lifetime old. */
    String token(String scope) throws IOException {
        Token token = tokens.get(scope);
        if (token == null || !fresh(token)) {
            try {
                token = tokens.compute(scope, (s, old) -> old != null && fresh(old) ? old : fetch(s));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return token.value();
    }

    private boolean fresh(Token token) {
        return clock.instant().isBefore(token.renewAt());
    }

    private Token fetch(String scope) {
        Instant asked = clock.instant();
        Request request = Request.of("GET", target
                + (scope.isEmpty() ? "" : "scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)));
        basic.ifPresent(value -> request.header("Authorization", value));
        Response response;
        try (HttpConnection connection = new HttpConnection(address, tls)) {
            response = connection.exchange(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Checks.status(response, 200, "GET token for " + (scope.isEmpty() ? "no scope" : scope));
        JsonNode answer;
        try {
            answer = Json.readTree(response.body());
        } catch (IOException e) {
            throw new CheckFailedException("GET token: the answer is not JSON: " + response.summary());
        }
        // "token", or "access_token" for OAuth 2 clients: a service may send either or both
        String value = answer.path("token").asText(answer.path("access_token").asText(""));
        if (value.isEmpty()) {
            throw new CheckFailedException("GET token: the answer holds no token: " + response.summary());
        }
        long seconds = answer.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        return new Token(value, asked.plus(lifetime.dividedBy(2)));
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The parameters of a challenge ({@code name=value} or {@code name="quoted value"}, comma-separated, RFC 9110
     * section 11.2), names in lower case.
     */
    static Map<String, String> parameters(String text) {
        Map<String, String> parameters = new HashMap<>();
        int at = 0;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == ',' || c == ' ' || c == '\t') {
                at++;
                continue;
            }
            int equals = text.indexOf('=', at);
            if (equals < 0) {
                break;
            }
            String name = text.substring(at, equals).strip().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            at = equals + 1;
            if (at < text.length() && text.charAt(at) == '"') {
                for (at++; at < text.length() && text.charAt(at) != '"'; at++) {
                    if (text.charAt(at) == '\\' && at + 1 < text.length()) {
                        at++;
                    }
                    value.append(text.charAt(at));
                }
                at++;
            } else {
                int end = text.indexOf(',', at);
                end = end < 0 ? text.length() : end;
                value.append(text, at, end);
                at = end;
            }
            parameters.put(name, value.toString().strip());
        }
        return parameters;
    }
}
