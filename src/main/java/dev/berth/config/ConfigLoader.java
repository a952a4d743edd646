package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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
    private static final Set<String> STORAGE_SETTINGS = Set.of("delete", "maintenance", "cache", "redirect", "tag");
    private static final Set<String> SUPPORTED = Set.of("version", "log.level", "storage.filesystem.rootdirectory",
            "storage.delete.enabled", "http.addr", "validation.manifests.urls.allow",
            "validation.manifests.urls.deny", "storage.maintenance.uploadpurging.enabled",
            "storage.maintenance.uploadpurging.age", "storage.maintenance.uploadpurging.interval",
            "storage.maintenance.uploadpurging.dryrun", "berth.gc.interval", "berth.gc.grace",
            "berth.gc.deleteuntagged");
    private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug");
    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^:\\[\\]]*):(\\d{1,5})");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path defaultRoot;

    /** @param defaultRoot where blobs go when the configuration names no storage at all */
    public ConfigLoader(Path defaultRoot) {
        this.defaultRoot = defaultRoot;
    }

    public LoadedConfig load(Optional<Path> file, Map<String, String> environment) {
        ObjectNode tree = file.map(ConfigLoader::read).orElseGet(JsonNodeFactory.instance::objectNode);
        new TreeMap<>(environment).forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !name.equals(CONFIG_PATH_VARIABLE)) {
                override(tree, name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("_"), value);
            }
        });
        List<String> warnings = new ArrayList<>();
        collectUnsupported(tree, "", warnings);
        return new LoadedConfig(bind(tree), warnings);
    }

    private static ObjectNode read(Path file) {
        try {
            JsonNode node = YAML.readTree(Files.readAllBytes(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(file.toString(), "the configuration must be a YAML mapping");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read the configuration: " + e.getMessage());
        }
    }

    private static void override(ObjectNode tree, String[] path, String value) {
        JsonNode parsed = scalar(value);
        if (path.length == 1 && TYPED_SECTIONS.contains(path[0]) && parsed.isTextual()) {
            selectImplementation(tree, path[0], parsed.asText());
            return;
        }
        ObjectNode node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = node.get(path[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(path[i]);
        }
        node.set(path[path.length - 1], parsed);
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

    /** An environment value as YAML would read it: flow collections, booleans and numbers, else text. */
    private static JsonNode scalar(String value) {
        String trimmed = value.strip();
        if (trimmed.startsWith("[") || trimmed.startsWith("{") || trimmed.equals("true") || trimmed.equals("false")
                || trimmed.matches("-?\\d+")) {
            try {
                return YAML.readTree(trimmed);
            } catch (IOException e) {
                return JsonNodeFactory.instance.textNode(value);
            }
        }
        return JsonNodeFactory.instance.textNode(value);
    }

    private static void collectUnsupported(JsonNode node, String path, List<String> warnings) {
        if (SUPPORTED.contains(path)) {
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

    private Config bind(ObjectNode tree) {
        String level = text(tree, "log.level").orElse("info").toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new ConfigException("log.level", "must be one of error, warn, info, debug, not " + level);
        }
        JsonNode storage = tree.path("storage");
        Optional<String> otherDriver = otherDriver(storage);
        if (otherDriver.isPresent()) {
            throw new ConfigException("storage." + otherDriver.get(), "this storage driver is not supported yet; "
                    + "use storage.filesystem");
        }
        Path root = text(tree, "storage.filesystem.rootdirectory").map(Path::of).orElse(defaultRoot);
        boolean delete = bool(tree, "storage.delete.enabled").orElse(false);
        String addr = text(tree, "http.addr").orElse(":5000");
        Matcher address = ADDRESS.matcher(addr);
        if (!address.matches() || Integer.parseInt(address.group(2)) > 65535) {
            throw new ConfigException("http.addr", "expected HOST:PORT or :PORT, not " + addr);
        }
        String host = address.group(1).replace("[", "").replace("]", "");
        GcSettings gc = new GcSettings(duration(tree, "berth.gc.interval").filter(d -> !d.isZero()),
                duration(tree, "berth.gc.grace").orElse(GcSettings.DEFAULT_GRACE),
                bool(tree, "berth.gc.deleteuntagged").orElse(false));
        String purging = "storage.maintenance.uploadpurging.";
        UploadPurging uploadPurging = new UploadPurging(
                bool(tree, purging + "enabled").orElse(UploadPurging.DEFAULT.enabled()),
                duration(tree, purging + "age").orElse(UploadPurging.DEFAULT.age()),
                duration(tree, purging + "interval").filter(d -> !d.isZero())
                        .orElse(UploadPurging.DEFAULT.interval()),
                bool(tree, purging + "dryrun").orElse(UploadPurging.DEFAULT.dryRun()));
        return new Config(level, root, delete, host, Integer.parseInt(address.group(2)),
                patterns(tree, "validation.manifests.urls.allow"), patterns(tree, "validation.manifests.urls.deny"),
                uploadPurging, gc);
    }

    private static Optional<Duration> duration(JsonNode tree, String key) {
        try {
            return text(tree, key).map(Durations::parse);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    private static Optional<String> otherDriver(JsonNode storage) {
        Iterator<String> names = storage.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("filesystem") && !STORAGE_SETTINGS.contains(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static JsonNode at(JsonNode tree, String key) {
        JsonNode node = tree;
        for (String part : key.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    private static Optional<String> text(JsonNode tree, String key) {
        JsonNode node = at(tree, key);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isValueNode()) {
            throw new ConfigException(key, "expected a value, not a section");
        }
        return Optional.of(node.asText()).filter(s -> !s.isEmpty());
    }

    private static Optional<Boolean> bool(JsonNode tree, String key) {
        JsonNode node = at(tree, key);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (node.isBoolean()) {
            return Optional.of(node.asBoolean());
        }
        throw new ConfigException(key, "expected true or false, not " + node);
    }

    private static List<String> patterns(JsonNode tree, String key) {
        JsonNode node = at(tree, key);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException(key, "expected a list of regular expressions");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : node) {
            try {
                Pattern.compile(item.asText());
            } catch (PatternSyntaxException e) {
                throw new ConfigException(key, "invalid regular expression " + item.asText());
            }
            result.add(item.asText());
        }
        return result;
    }
}
