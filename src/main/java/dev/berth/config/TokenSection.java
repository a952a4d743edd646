package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads distribution's {@code auth.token} section and Berth's {@code berth.tokenservice}, which makes Berth the
 * token service of its own {@code auth.token}, for the users of {@code auth.htpasswd}.
 */
final class TokenSection {

    /** Distribution's names; HMAC ones are known but refused, as they need a shared secret Berth does not load. */
    private static final List<String> ALGORITHMS = List.of("EdDSA", "RS256", "RS384", "RS512", "PS256", "PS384",
            "PS512", "ES256", "ES384", "ES512");
    private static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");
    private static final Duration DEFAULT_EXPIRATION = Duration.ofMinutes(5);
    /** The spec's floor: "a token should never be returned with less than 60 seconds to live". */
    private static final Duration MIN_EXPIRATION = Duration.ofSeconds(60);

    private TokenSection() {
    }

    static Optional<Config.Token> token(JsonNode tree) {
        boolean ownService = tokenServiceEnabled(tree);
        if (!ConfigTree.named(tree, "auth.token")) {
            return Optional.empty();
        }
        if (ConfigTree.named(tree, "auth.htpasswd") && !ownService) {
            throw new ConfigException("auth", "configure one of auth.htpasswd and auth.token; both together only "
                    + "with berth.tokenservice.enabled, where htpasswd holds the token service's users");
        }
        Optional<String> realm = ConfigTree.text(tree, "auth.token.realm");
        realm.ifPresent(TokenSection::checkRealm);
        if (realm.isEmpty() && !ownService) {
            throw new ConfigException("auth.token.realm", "the token service's URL is required");
        }
        String service = required(tree, "auth.token.service");
        String issuer = required(tree, "auth.token.issuer");
        Optional<Path> bundle = ConfigTree.text(tree, "auth.token.rootcertbundle").map(Path::of);
        Optional<Path> jwks = ConfigTree.text(tree, "auth.token.jwks").map(Path::of);
        if (bundle.isEmpty() && jwks.isEmpty() && !ownService) {
            throw new ConfigException("auth.token.rootcertbundle",
                    "token auth needs the keys that sign tokens: rootcertbundle, jwks, or both");
        }
        return Optional.of(new Config.Token(realm, service, issuer, bundle, jwks, algorithms(tree)));
    }

    static Optional<Config.TokenService> tokenService(JsonNode tree) {
        if (!tokenServiceEnabled(tree)) {
            return Optional.empty();
        }
        if (!ConfigTree.named(tree, "auth.token") || !ConfigTree.named(tree, "auth.htpasswd")) {
            throw new ConfigException("berth.tokenservice.enabled", "Berth's token service needs auth.token "
                    + "(service and issuer of its tokens) and auth.htpasswd (its users)");
        }
        Duration expiration = ConfigTree.duration(tree, "berth.tokenservice.expiration").orElse(DEFAULT_EXPIRATION);
        if (expiration.compareTo(MIN_EXPIRATION) < 0) {
            throw new ConfigException("berth.tokenservice.expiration", "tokens must live at least 60s");
        }
        return Optional.of(new Config.TokenService(expiration,
                ConfigTree.text(tree, "berth.tokenservice.key").map(Path::of)));
    }

    private static boolean tokenServiceEnabled(JsonNode tree) {
        return ConfigTree.bool(tree, "berth.tokenservice.enabled").orElse(false);
    }

    private static String required(JsonNode tree, String key) {
        return ConfigTree.text(tree, key).orElseThrow(() -> new ConfigException(key, "required for token auth"));
    }

    /** An absolute http(s) URL, or a path on this server. */
    private static void checkRealm(String realm) {
        try {
            URI uri = new URI(realm);
            boolean url = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
            if (!url && !(uri.getScheme() == null && realm.startsWith("/"))) {
                throw new ConfigException("auth.token.realm", "expected an http(s) URL or a path, not " + realm);
            }
        } catch (URISyntaxException e) {
            throw new ConfigException("auth.token.realm", "expected an http(s) URL or a path, not " + realm);
        }
    }

    private static List<String> algorithms(JsonNode tree) {
        String key = "auth.token.signingalgorithms";
        List<String> configured = ConfigTree.strings(tree, key);
        for (String algorithm : configured) {
            if (HMAC.contains(algorithm)) {
                throw new ConfigException(key, algorithm + " needs a shared secret, which Berth does not support; "
                        + "use " + String.join(", ", ALGORITHMS));
            }
            if (!ALGORITHMS.contains(algorithm)) {
                throw new ConfigException(key, "unknown algorithm " + algorithm + "; use "
                        + String.join(", ", ALGORITHMS));
            }
        }
        return configured.isEmpty() ? ALGORITHMS : configured;
    }
}
