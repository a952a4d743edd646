package dev.berth.cli;

import dev.berth.auth.AccessController;
import dev.berth.auth.AccessRule;
import dev.berth.auth.AccessRules;
import dev.berth.auth.Action;
import dev.berth.auth.FailureThrottle;
import dev.berth.auth.OpenAccess;
import dev.berth.auth.RepositoryGlob;
import dev.berth.auth.htpasswd.HtpasswdAccessController;
import dev.berth.auth.htpasswd.HtpasswdFile;
import dev.berth.config.Config;
import dev.berth.config.ConfigException;
import dev.berth.http.RegistryHandler;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.filesystem.FilesystemDriver;
import dev.berth.storage.layout.Layout;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a configuration into the objects that serve it: the composition root. */
final class Wiring {

    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

    private Wiring() {
    }

    static StorageDriver storage(Config config) {
        if (config.s3().isPresent()) {
            return S3Loading.open(config.s3().get());
        }
        return new FilesystemDriver(config.rootDirectory(), Layout::keptWhenEmpty, Layout::keptBesideOthersIn);
    }

    static Registry registry(Config config, StorageDriver storage, Clock clock) {
        Registry registry = Registry.over(storage, config.deleteEnabled(),
                new ManifestRules(config.allowUrls().stream().map(Pattern::compile).toList(),
                        config.denyUrls().stream().map(Pattern::compile).toList()),
                clock);
        return config.catalogMaxEntries().map(registry::withCatalogMaxPage).orElse(registry);
    }

    /**
     * The HTTP handler with the access control the configuration asks for, wrapped by {@code decorate} (the
     * optional features that watch or restrict access).
     */
    static RegistryHandler handler(Registry registry, Config config, Clock clock,
                                   UnaryOperator<AccessController> decorate) {
        if (config.token().isPresent()) {
            return TokenWiring.handler(registry, config, clock, decorate);
        }
        return new RegistryHandler(registry, decorate.apply(accessController(config, clock)));
    }

    private static AccessController accessController(Config config, Clock clock) {
        if (config.htpasswd().isEmpty()) {
            if (config.access().isPresent()) {
                LOG.warn("berth.access has no effect: no authentication is configured (auth.htpasswd)");
            }
            return new OpenAccess();
        }
        Config.Htpasswd htpasswd = config.htpasswd().get();
        return new HtpasswdAccessController(htpasswdFile(htpasswd, clock), htpasswd.realm(), rules(config),
                new FailureThrottle());
    }

    static HtpasswdFile htpasswdFile(Config.Htpasswd htpasswd, Clock clock) {
        try {
            return new HtpasswdFile(htpasswd.path(), clock);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("auth.htpasswd.path", e.getMessage());
        }
    }

    static AccessRules rules(Config config) {
        return config.access().map(Wiring::rules).orElseGet(AccessRules::everyUserEverything);
    }

    private static AccessRules rules(Config.AccessPolicy policy) {
        return new AccessRules(
                policy.rules().stream().map(rule -> new AccessRule(new HashSet<>(rule.who()),
                        rule.repositories().stream().map(RepositoryGlob::new).toList(),
                        rule.actions().stream().map(a -> Action.byScopeName(a).orElseThrow())
                                .collect(Collectors.toSet()))).toList(),
                policy.groups().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        e -> Set.copyOf(e.getValue()))),
                Set.copyOf(policy.admins()));
    }
}
