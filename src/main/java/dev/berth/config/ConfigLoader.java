package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads distribution's configuration format. Environment variables override the file by distribution's rule:
 * {@code REGISTRY_} followed by the key's path in upper case, joined with underscores
 * ({@code REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY}). Keys Berth does not act on are reported as warnings;
 * a value it cannot use stops loading with the key's path.
 */
public final class ConfigLoader {

    private static final String ENV_PREFIX = "REGISTRY_";
    /** Names the config file itself rather than a key, as in distribution. */
    public static final String CONFIG_PATH_VARIABLE = "REGISTRY_CONFIGURATION_PATH";
    /** Sections whose single key names the implementation; a scalar override switches it. */
    private static final Set<String> TYPED_SECTIONS = Set.of("storage", "auth");
    /** Keys of {@code storage} that are settings rather than a driver name. */
    private static final Set<String> SUPPORTED_DRIVERS = Set.of("filesystem", "s3");
    private static final Set<String> STORAGE_SETTINGS = Set.of("delete", "maintenance", "cache", "redirect", "tag");
    private static final Set<String> SUPPORTED = Set.of("version", "log.level", "storage.filesystem.rootdirectory",
            "storage.delete.enabled", "http.addr", "validation.manifests.urls.allow",
            "validation.manifests.urls.deny", "auth.htpasswd.realm", "auth.htpasswd.path", "berth.access.admins",
            "berth.access.groups", "berth.access.rules", "auth.token.realm", "auth.token.service",
            "auth.token.issuer", "auth.token.rootcertbundle", "auth.token.jwks", "auth.token.signingalgorithms",
            "berth.tokenservice.enabled", "berth.tokenservice.expiration", "berth.tokenservice.key",
            "auth.none", "validation.disabled", "validation.enabled", "storage.maintenance.uploadpurging.enabled",
            "storage.maintenance.uploadpurging.age", "storage.maintenance.uploadpurging.interval",
            "storage.maintenance.uploadpurging.dryrun",
            "berth.gc.interval", "berth.gc.grace", "berth.gc.deleteuntagged",
            "http.tls.certificate", "http.tls.key", "http.tls.clientcas", "http.tls.clientauth", "http.tls.minimumtls",
            "http.tls.ciphersuites", "http.http2.disabled", "berth.tls.selfmanaged.enabled",
            "berth.tls.selfmanaged.hosts", "catalog.maxentries");
    /** Keys of sections read by their own classes. */
    private static final List<Set<String>> SECTION_KEYS = List.of(LogSettings.KEYS, HttpSettings.KEYS,
            HealthSettings.KEYS, NotificationSettings.KEYS, S3Settings.KEYS,
            Set.of("loglevel", "storage.maintenance.readonly.enabled"));
    /**
     * Keys whose purpose Berth meets without acting on them, so they earn no warning: it hands clients no state
     * to sign ({@code http.secret}), blob descriptors are read from storage directly, virtual threads need no cap on
     * filesystem threads, and the S3 driver sizes its own copies (one request up to 5 GiB, ranges 8 at a time above).
     */
    private static final Set<String> NOT_NEEDED = Set.of("http.secret",
            "storage.cache.blobdescriptor", "storage.cache.blobdescriptorsize", "storage.filesystem.maxthreads",
            "storage.s3.multipartcopychunksize", "storage.s3.multipartcopymaxconcurrency",
            "storage.s3.multipartcopythresholdsize");
    private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug");
    /**
     * The allow rule of {@code validation.disabled}: it matches every URL, so that a manifest may carry any http or
     * https URL, as distribution lets it once validation is off.
     */
    static final String ANY_URL = "";
    /** Below this a collection beside a serving registry may catch a slow push mid-way: worth a warning. */
    private static final Duration SHORT_GRACE = Duration.ofMinutes(1);

    private final Path defaultRoot;

    /** @param defaultRoot where blobs go when the configuration names no storage at all */
    public ConfigLoader(Path defaultRoot) {
        this.defaultRoot = defaultRoot;
    }

    /**
     * @param file the file named on the command line; when empty, the one {@value #CONFIG_PATH_VARIABLE} names, if
     *             any, as distribution reads it
     */
    public LoadedConfig load(Optional<Path> file, Map<String, String> environment) {
        ObjectNode tree = read(file, environment);
        new TreeMap<>(environment).forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !name.equals(CONFIG_PATH_VARIABLE)) {
                override(tree, name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("_"), value);
            }
        });
        // distribution also takes a section that only names its implementation (auth: htpasswd), as if without
        // settings: so must Berth, or auth: htpasswd would leave the registry open
        TYPED_SECTIONS.forEach(section -> {
            if (tree.get(section) instanceof JsonNode named && named.isTextual()) {
                selectImplementation(tree, section, named.asText());
            }
        });
        List<String> warnings = new ArrayList<>();
        collectUnsupported(tree, "", warnings);
        Defaults.apply(tree, defaultRoot);
        Config config = bind(tree, warnings, defaultRoot);
        if (config.gc().grace().compareTo(SHORT_GRACE) < 0) {
            warnings.add("berth.gc.grace is " + config.gc().grace().toSeconds() + "s: the server's own collections "
                    + "(berth.gc.interval, POST /admin/gc) may delete what a push slower than that is writing; keep "
                    + "it well above the longest push (docs/garbage-collection.md)");
        }
        return new LoadedConfig(config, warnings, () -> YamlWriter.write(Secrets.masked(tree)));
    }

    /**
     * Plain code rather than {@code Optional.map}: the start-up cache's training run names its file, so a lambda
     * for the other case would be made at every start that reads the variable or no file.
     */
    private static ObjectNode read(Optional<Path> file, Map<String, String> environment) {
        if (file.isPresent()) {
            return read(file.get());
        }
        String named = environment.get(CONFIG_PATH_VARIABLE);
        return named == null ? JsonNodeFactory.instance.objectNode() : read(Path.of(named));
    }

    private static ObjectNode read(Path file) {
        JsonNode node;
        try {
            node = YamlTree.read(Files.readAllBytes(file)).orElseGet(JsonNodeFactory.instance::objectNode);
        } catch (IOException | YAMLException e) {
            throw new ConfigException(file.toString(), "cannot read the configuration: " + e.getMessage());
        }
        if (node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new ConfigException(file.toString(), "the configuration must be a YAML mapping");
        }
        return (ObjectNode) node;
    }

    /**
     * Sets the key at {@code path}. A number indexes a list that is there
     * ({@code REGISTRY_HTTP_TLS_LETSENCRYPT_HOSTS_0}); one past its end appends. Distribution 2.8.2 ignores such
     * variables, with a warning.
     */
    private static void override(ObjectNode tree, String[] path, String value) {
        JsonNode parsed = scalar(value);
        if (path.length == 1 && TYPED_SECTIONS.contains(path[0]) && parsed.isTextual()) {
            selectImplementation(tree, path[0], parsed.asText());
            return;
        }
        ContainerNode<?> node = tree;
        for (int i = 0; i < path.length; i++) {
            boolean last = i == path.length - 1;
            if (node instanceof ArrayNode list) {
                int index = listIndex(list, path, i);
                if (last) {
                    setItem(list, index, parsed);
                    return;
                }
                JsonNode child = index < list.size() ? list.get(index) : null;
                node = child instanceof ContainerNode<?> container ? container : (ObjectNode) setItem(list, index,
                        list.objectNode());
            } else {
                ObjectNode object = (ObjectNode) node;
                if (last) {
                    object.set(path[i], parsed);
                    return;
                }
                JsonNode child = object.get(path[i]);
                node = child instanceof ContainerNode<?> container ? container : object.putObject(path[i]);
            }
        }
    }

    private static int listIndex(ArrayNode list, String[] path, int i) {
        if (!path[i].matches("\\d{1,9}") || Integer.parseInt(path[i]) > list.size()) {
            throw new ConfigException(String.join(".", Arrays.copyOf(path, i)),
                    "REGISTRY_" + String.join("_", path).toUpperCase(Locale.ROOT) + " names no item of this list");
        }
        return Integer.parseInt(path[i]);
    }

    private static JsonNode setItem(ArrayNode list, int index, JsonNode value) {
        if (index == list.size()) {
            list.add(value);
        } else {
            list.set(index, value);
        }
        return value;
    }

    /** {@code REGISTRY_STORAGE=s3}: keep the section's settings and that driver's parameters, drop the rest. */
    private static void selectImplementation(ObjectNode tree, String section, String implementation) {
        JsonNode existing = tree.get(section);
        ObjectNode replaced = tree.putObject(section);
        if (existing instanceof ObjectNode old) {
            old.properties().forEach(e -> {
                if (e.getKey().equals(implementation) || (section.equals("storage")
                        && STORAGE_SETTINGS.contains(e.getKey()))) {
                    replaced.set(e.getKey(), e.getValue());
                }
            });
        }
        if (!replaced.has(implementation)) {
            replaced.putObject(implementation);
        }
    }

    /**
     * An environment value as YAML would read it, as distribution reads one: flow collections, booleans and numbers
     * (which a setting that takes text reads as written), else the text itself.
     */
    private static JsonNode scalar(String value) {
        String trimmed = value.strip();
        if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
            try {
                return YamlTree.read(trimmed).orElseGet(() -> JsonNodeFactory.instance.textNode(value));
            } catch (YAMLException e) {
                return JsonNodeFactory.instance.textNode(value);
            }
        }
        JsonNode typed = YamlTree.plainScalar(trimmed);
        return typed instanceof YamlTree.Written ? typed : JsonNodeFactory.instance.textNode(value);
    }

    private static void collectUnsupported(JsonNode node, String path, List<String> warnings) {
        if (SUPPORTED.contains(path) || NOT_NEEDED.contains(path) || SECTION_KEYS.stream()
                .anyMatch(keys -> keys.contains(path))) {
            return;
        }
        // a section Berth reads, written without settings (storage: {filesystem: }): reading it decides
        boolean withoutSettings = node.isNull() || node.isObject() && node.isEmpty();
        if (withoutSettings && Stream.concat(Stream.of(SUPPORTED, NOT_NEEDED), SECTION_KEYS.stream())
                .flatMap(Set::stream).anyMatch(key -> key.startsWith(path + "."))) {
            return;
        }
        if (node.isObject() && !node.isEmpty()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectUnsupported(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
                        warnings);
            }
        } else if (!path.isEmpty()) {
            warnings.add("configuration key " + path + " is not supported by Berth yet and is ignored");
        }
    }

    /** @param localRoot where the registry keeps its own files when its storage is not a directory */
    private static Config bind(ObjectNode tree, List<String> warnings, Path localRoot) {
        ConfigTree.text(tree, "version").filter(version -> !version.equals("0.1")).ifPresent(version -> {
            throw new ConfigException("version", "only version 0.1 of the format exists, not " + version);
        });
        String level = ConfigTree.text(tree, "log.level").orElseThrow().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new ConfigException("log.level", "must be one of error, warn, info, debug, not " + level);
        }
        List<String> drivers = drivers(tree.path("storage"));
        drivers.stream().filter(name -> !SUPPORTED_DRIVERS.contains(name)).findFirst().ifPresent(name -> {
            throw new ConfigException("storage." + name, "this storage driver is not supported yet; "
                    + "use storage.filesystem or storage.s3");
        });
        if (drivers.size() > 1) {
            throw new ConfigException("storage", "names " + String.join(" and ", drivers)
                    + ": a registry stores in exactly one of them");
        }
        Optional<S3Settings> s3 = drivers.contains("s3") ? Optional.of(S3Settings.read(tree, warnings))
                : Optional.empty();
        ConfigTree.text(tree, "proxy.remoteurl").filter(url -> !url.isBlank()).ifPresent(url -> {
            // ignored, it would leave a registry anyone allowed could push to where a read-only mirror was meant
            throw new ConfigException("proxy.remoteurl", "pull-through caching is not supported yet; remove the "
                    + "proxy section to run a registry of its own");
        });
        Path root = s3.isPresent() ? localRoot : ConfigTree.text(tree, "storage.filesystem.rootdirectory")
                .map(Path::of)
                .orElseThrow(() -> new ConfigException("storage.filesystem.rootdirectory", "is required"));
        boolean delete = ConfigTree.bool(tree, "storage.delete.enabled").orElseThrow();
        HttpSettings http = HttpSettings.read(tree, warnings);
        Address address = Address.read(tree, "http.addr").orElseThrow();
        GcSettings gc = new GcSettings(
                ConfigTree.writtenDuration(tree, "berth.gc.interval", true).filter(d -> !d.isZero()),
                ConfigTree.writtenDuration(tree, "berth.gc.grace", true).orElse(GcSettings.DEFAULT_GRACE),
                ConfigTree.bool(tree, "berth.gc.deleteuntagged").orElse(false));
        String purging = "storage.maintenance.uploadpurging.";
        UploadPurging uploadPurging = new UploadPurging(
                ConfigTree.bool(tree, purging + "enabled").orElse(UploadPurging.DEFAULT.enabled()),
                ConfigTree.writtenDuration(tree, purging + "age", false).orElse(UploadPurging.DEFAULT.age()),
                ConfigTree.writtenDuration(tree, purging + "interval", true).filter(d -> !d.isZero())
                        .orElse(UploadPurging.DEFAULT.interval()),
                ConfigTree.bool(tree, purging + "dryrun").orElse(UploadPurging.DEFAULT.dryRun()));
        // as distribution reads them: validation.enabled, deprecated, can turn validation on but not off
        boolean validation = ConfigTree.bool(tree, "validation.enabled").orElse(false)
                || !ConfigTree.bool(tree, "validation.disabled").orElse(false);
        return new Config(level, root, delete, address,
                validation ? ConfigTree.patterns(tree, "validation.manifests.urls.allow") : List.of(ANY_URL),
                validation ? ConfigTree.patterns(tree, "validation.manifests.urls.deny") : List.of(),
                AuthSection.htpasswd(tree),
                AuthSection.access(tree), TokenSection.token(tree), TokenSection.tokenService(tree),
                LogSettings.read(tree), http, HealthSettings.read(tree), NotificationSettings.read(tree),
                ConfigTree.bool(tree, "storage.maintenance.readonly.enabled").orElseThrow(), uploadPurging, gc,
                TlsSection.tls(tree), s3, ConfigTree.integer(tree, "catalog.maxentries", 1));
    }

    /** The storage drivers a {@code storage} section names: its keys that are not settings. */
    static List<String> drivers(JsonNode storage) {
        List<String> drivers = new ArrayList<>();
        storage.fieldNames().forEachRemaining(name -> {
            if (!STORAGE_SETTINGS.contains(name)) {
                drivers.add(name);
            }
        });
        return drivers;
    }
}
