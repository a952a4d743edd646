package dev.berth.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings Berth takes from distribution's {@code config.yml} (plus {@code REGISTRY_*} overrides), checked
 * and defaulted.
 *
 * @param logLevel       {@code log.level}: error, warn, info or debug
 * @param rootDirectory  {@code storage.filesystem.rootdirectory}
 * @param deleteEnabled  {@code storage.delete.enabled}
 * @param host           the host part of {@code http.addr}; empty means every interface
 * @param port           the port part of {@code http.addr}
 * @param allowUrls      {@code validation.manifests.urls.allow}
 * @param denyUrls       {@code validation.manifests.urls.deny}
 * @param htpasswd       {@code auth.htpasswd}, when authentication is on
 * @param access         {@code berth.access}: per-repository rules (Berth's own section)
 * @param log            the rest of {@code log}
 * @param http           the rest of {@code http}
 * @param health         {@code health}
 * @param readOnly       {@code storage.maintenance.readonly.enabled}: writes are refused
 */
public record Config(String logLevel, Path rootDirectory, boolean deleteEnabled, String host, int port,
                     List<String> allowUrls, List<String> denyUrls, Optional<Htpasswd> htpasswd,
                     Optional<AccessPolicy> access, LogSettings log, HttpSettings http, HealthSettings health,
                     boolean readOnly) {

    public Config {
        allowUrls = List.copyOf(allowUrls);
        denyUrls = List.copyOf(denyUrls);
    }

    /** {@code auth.htpasswd}: the realm of the Basic challenge and the htpasswd file. */
    public record Htpasswd(String realm, Path path) {
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
