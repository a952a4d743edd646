package dev.berth.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings Berth takes from distribution's {@code config.yml} (plus {@code REGISTRY_*} overrides), checked
 * and defaulted.
 *
 * @param logLevel       {@code log.level}: error, warn, info or debug
 * @param rootDirectory  {@code storage.filesystem.rootdirectory}; with {@code storage.s3}, the directory where the
 *                       registry keeps files of its own (a generated token key, a self-managed CA)
 * @param deleteEnabled  {@code storage.delete.enabled}
 * @param address        {@code http.addr}: where the registry listens
 * @param allowUrls      {@code validation.manifests.urls.allow}; with {@code validation.disabled}, a pattern
 *                       matching any URL
 * @param denyUrls       {@code validation.manifests.urls.deny}; none with {@code validation.disabled}
 * @param htpasswd       {@code auth.htpasswd}, when authentication is on
 * @param access         {@code berth.access}: per-repository rules (Berth's own section)
 * @param token          {@code auth.token}, when requests carry bearer tokens
 * @param tokenService   {@code berth.tokenservice}, when Berth issues those tokens itself
 * @param log            the rest of {@code log}
 * @param http           the rest of {@code http}
 * @param health         {@code health}
 * @param notifications  {@code notifications}
 * @param readOnly       {@code storage.maintenance.readonly.enabled}: writes are refused
 * @param uploadPurging  {@code storage.maintenance.uploadpurging}
 * @param gc             {@code berth.gc}
 * @param tls            TLS on the registry port, when configured
 * @param s3             {@code storage.s3}, when the registry's files are objects of an S3 bucket
 * @param catalogMaxEntries {@code catalog.maxentries}: the most repositories a catalog page holds; the
 *                       registry's default when absent
 */
public record Config(String logLevel, Path rootDirectory, boolean deleteEnabled, Address address,
                     List<String> allowUrls, List<String> denyUrls, Optional<Htpasswd> htpasswd,
                     Optional<AccessPolicy> access, Optional<Token> token, Optional<TokenService> tokenService,
                     LogSettings log, HttpSettings http, HealthSettings health,
                     NotificationSettings notifications, boolean readOnly,
                     UploadPurging uploadPurging, GcSettings gc, Optional<TlsSettings> tls,
                     Optional<S3Settings> s3, Optional<Integer> catalogMaxEntries) {

    public Config {
        allowUrls = List.copyOf(allowUrls);
        denyUrls = List.copyOf(denyUrls);
    }

    /** Where the registry's content is, for a log line: a directory or an S3 bucket and prefix. */
    public String storageLocation() {
        return s3.map(S3Settings::location).orElseGet(() -> rootDirectory.toAbsolutePath().toString());
    }

    /** {@code auth.htpasswd}: the realm of the Basic challenge and the htpasswd file. */
    public record Htpasswd(String realm, Path path) {
    }

    /**
     * {@code auth.token}: how bearer tokens are checked.
     *
     * @param realm             the token endpoint clients are sent to: a URL, or a path on this server (the
     *                          default with Berth's own token service)
     * @param service           the audience ({@code aud}) tokens must name
     * @param issuer            the issuer ({@code iss}) tokens must name
     * @param rootCertBundle    PEM certificates whose keys (and chains) sign tokens
     * @param jwks              a JSON Web Key Set of keys that sign tokens
     * @param signingAlgorithms the algorithms signatures may use
     */
    public record Token(Optional<String> realm, String service, String issuer, Optional<Path> rootCertBundle,
                        Optional<Path> jwks, List<String> signingAlgorithms) {
        public Token {
            signingAlgorithms = List.copyOf(signingAlgorithms);
        }
    }

    /**
     * {@code berth.tokenservice}: Berth issues tokens itself to the users of {@code auth.htpasswd}.
     *
     * @param expiration how long a token is valid
     * @param key        the PEM private key to sign with; by default one generated under the storage root
     */
    public record TokenService(Duration expiration, Optional<Path> key) {
    }

    /** {@code berth.access}: groups of users, administrators, and rules. */
    public record AccessPolicy(List<AccessRuleSettings> rules, Map<String, List<String>> groups,
                               List<String> admins) {
        public AccessPolicy {
            rules = List.copyOf(rules);
            groups = Map.copyOf(groups);
            admins = List.copyOf(admins);
        }
    }

    /** One rule: who ({@code user}, {@code @group}, {@code anonymous}, {@code *}) may do which actions where. */
    public record AccessRuleSettings(List<String> who, List<String> repositories, List<String> actions) {
        public AccessRuleSettings {
            who = List.copyOf(who);
            repositories = List.copyOf(repositories);
            actions = List.copyOf(actions);
        }
    }
}
