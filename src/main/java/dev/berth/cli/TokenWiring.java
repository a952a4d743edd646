package dev.berth.cli;

import dev.berth.api.RouteParser;
import dev.berth.auth.AccessController;
import dev.berth.auth.AccessRules;
import dev.berth.auth.FailureThrottle;
import dev.berth.auth.Permissions;
import dev.berth.auth.htpasswd.HtpasswdAuthenticator;
import dev.berth.auth.token.BearerChallenge;
import dev.berth.auth.token.SigningKey;
import dev.berth.auth.token.TokenAccessController;
import dev.berth.auth.token.TokenIssuer;
import dev.berth.auth.token.TokenVerifier;
import dev.berth.auth.token.TrustedKeys;
import dev.berth.config.Config;
import dev.berth.config.ConfigException;
import dev.berth.http.RegistryHandler;
import dev.berth.registry.Registry;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Token authentication: verifying tokens from a token service, and Berth as that token service. */
final class TokenWiring {

    private static final Logger LOG = LoggerFactory.getLogger(TokenWiring.class);
    /** Under the storage root, beside distribution's {@code docker/} tree, which never looks at it. */
    private static final String DEFAULT_KEY = "berth/token-signing-key.pem";

    private TokenWiring() {
    }

    static RegistryHandler handler(Registry registry, Config config, Clock clock,
                                   UnaryOperator<AccessController> decorate) {
        Config.Token token = config.token().orElseThrow();
        BearerChallenge challenge = new BearerChallenge(token.realm().orElse(RouteParser.TOKEN_PATH),
                token.service());
        TrustedKeys configured = configuredKeys(token);
        if (config.tokenService().isEmpty()) {
            if (config.access().isPresent()) {
                LOG.warn("berth.access has no effect: the token service decides what tokens grant");
            }
            TokenVerifier verifier = verifier(token, configured, clock);
            // what distribution shows a token that may list the catalog: every repository
            return new RegistryHandler(registry,
                    decorate.apply(new TokenAccessController(verifier, challenge, user -> Permissions.ALL)));
        }
        Config.TokenService service = config.tokenService().get();
        SigningKey key = service.key()
                .map(path -> at("berth.tokenservice.key", () -> SigningKey.read(path)))
                .orElseGet(() -> at("berth.tokenservice.key",
                        () -> SigningKey.readOrCreate(config.rootDirectory().resolve(DEFAULT_KEY))));
        Config.Htpasswd htpasswd = config.htpasswd().orElseThrow();
        AccessRules rules = Wiring.rules(config);
        TokenIssuer issuer = new TokenIssuer(key, token.issuer(), token.service(), service.expiration(),
                new HtpasswdAuthenticator(Wiring.htpasswdFile(htpasswd, clock), htpasswd.realm(),
                        new FailureThrottle()), rules, clock);
        TokenVerifier verifier = verifier(token, configured.and(TrustedKeys.of(key.publicKey())), clock);
        // Berth's own tokens show the catalog the access rules show, as without tokens
        Function<Optional<String>, Permissions> catalogView = rules::permissionsOf;
        return new RegistryHandler(registry,
                decorate.apply(new TokenAccessController(verifier, challenge, catalogView)), issuer);
    }

    private static TokenVerifier verifier(Config.Token token, TrustedKeys keys, Clock clock) {
        return new TokenVerifier(keys, token.issuer(), token.service(), new HashSet<>(token.signingAlgorithms()),
                clock);
    }

    private static TrustedKeys configuredKeys(Config.Token token) {
        Optional<TrustedKeys> bundle = token.rootCertBundle()
                .map(path -> at("auth.token.rootcertbundle", () -> TrustedKeys.fromCertificateBundle(path)));
        Optional<TrustedKeys> jwks = token.jwks()
                .map(path -> at("auth.token.jwks", () -> TrustedKeys.fromJwks(path)));
        return bundle.map(b -> jwks.map(b::and).orElse(b)).or(() -> jwks).orElseGet(TrustedKeys::none);
    }

    /** Reads a file a key names, reporting a failure as that key's. */
    private static <T> T at(String key, Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }
}
