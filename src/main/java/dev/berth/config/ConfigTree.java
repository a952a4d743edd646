package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Typed reads of a configuration tree by dotted key path, each failure naming the key. */
final class ConfigTree {

    private static final Pattern LIST_ITEM = Pattern.compile("(.+)\\[(\\d{1,9})]");

    private ConfigTree() {
    }

    /** The node at a dotted path, in which {@code name[i]} is the item of a list: {@code health.file[0].file}. */
    static JsonNode at(JsonNode tree, String key) {
        JsonNode node = tree;
        for (String part : key.split("\\.")) {
            Matcher item = LIST_ITEM.matcher(part);
            node = item.matches() ? node.path(item.group(1)).path(Integer.parseInt(item.group(2))) : node.path(part);
        }
        return node;
    }

    /**
     * Whether the key is written at all, even with no value: an authentication scheme written without settings
     * is one configured badly, not none configured.
     */
    static boolean named(JsonNode tree, String key) {
        return !at(tree, key).isMissingNode();
    }

    static boolean present(JsonNode tree, String key) {
        JsonNode node = at(tree, key);
        return !node.isMissingNode() && !node.isNull();
    }

    static Optional<String> text(JsonNode tree, String key) {
        JsonNode node = at(tree, key);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isValueNode()) {
            throw new ConfigException(key, "expected a value, not a section");
        }
        return Optional.of(YamlTree.writtenText(node)).filter(s -> !s.isEmpty());
    }

    static Optional<Boolean> bool(JsonNode tree, String key) {
        JsonNode node = at(tree, key);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (node.isBoolean()) {
            return Optional.of(node.asBoolean());
        }
        throw new ConfigException(key, "expected true or false, not " + node);
    }

    /**
     * A duration as distribution writes them ({@code 300s}, {@code 5m}, {@code 1h30m}, {@code 500ms}). A number YAML
     * reads as one ({@code 1_000}, {@code 0x10}) counts nanoseconds, as distribution's YAML library sets it.
     */
    static Optional<Duration> duration(JsonNode tree, String key) {
        JsonNode node = at(tree, key);
        try {
            if (node.isIntegralNumber() && node.asLong() >= 0) {
                return Optional.of(Duration.ofNanos(node.asLong()));
            }
            return text(tree, key).map(Durations::parse); // a negative number too, which it refuses
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    /**
     * A duration that must be written with its unit ({@code 24h}), where distribution refuses one without (upload
     * purging) or where Berth does (its own section): read as nanoseconds, {@code age: 10} or {@code age: '10'}
     * would purge every upload in progress, and {@code interval: 86400} spin. A bare 0 is taken where it means
     * none ({@code zeroMeansNone}).
     */
    static Optional<Duration> writtenDuration(JsonNode tree, String key, boolean zeroMeansNone) {
        JsonNode node = at(tree, key);
        String written = node.isValueNode() && !node.isNull() ? YamlTree.writtenText(node).strip() : "";
        boolean bare = node.isNumber() || written.matches("[-+]?[0-9_.]+");
        boolean zero = node.isNumber() ? node.doubleValue() == 0 : written.matches("[-+]?[0_.]+");
        if (bare && !(zeroMeansNone && zero)) {
            throw new ConfigException(key, "expected a duration with its unit, such as 24h or 90m, not " + written);
        }
        return duration(tree, key);
    }

    /** A whole number of at least {@code min}. */
    static Optional<Integer> integer(JsonNode tree, String key, int min) {
        JsonNode node = at(tree, key);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min) {
            throw new ConfigException(key, "expected a whole number of at least " + min + ", not " + node);
        }
        return Optional.of(node.asInt());
    }

    /** A mapping of names to values, in the order written; a list value is kept as a list. */
    static Map<String, List<String>> multimap(JsonNode tree, String key) {
        JsonNode node = at(tree, key);
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new ConfigException(key, "expected a mapping of names to values");
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        node.properties().forEach(e -> result.put(e.getKey(), values(e.getValue(), key + "." + e.getKey())));
        return result;
    }

    /** The items of a list section, each read by its own key, such as {@code health.tcp[0]}. */
    static <T> List<T> list(JsonNode tree, String key, Function<String, T> item) {
        JsonNode node = at(tree, key);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException(key, "expected a list");
        }
        List<T> result = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            result.add(item.apply(key + "[" + i + "]"));
        }
        return result;
    }

    /** A text that must be there. */
    static String required(JsonNode tree, String key) {
        return text(tree, key).orElseThrow(() -> new ConfigException(key, "is required"));
    }

    /** An http or https URL with a host. */
    static URI httpUrl(JsonNode tree, String key) {
        return httpUrl(key, required(tree, key));
    }

    /** {@code text} as an http or https URL with a host, else the error that names {@code key}. */
    static URI httpUrl(String key, String text) {
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException(key, "expected an http or https URL, not " + text);
    }

    /** A list of strings; a single value counts as a list of one. */
    static List<String> strings(JsonNode tree, String key) {
        return values(at(tree, key), key);
    }

    /** The value, or the list of values, {@code node} holds; {@code key} names it in errors. */
    static List<String> values(JsonNode node, String key) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (node.isValueNode()) {
            return List.of(YamlTree.writtenText(node));
        }
        if (!node.isArray()) {
            throw new ConfigException(key, "expected a list");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isValueNode()) {
                throw new ConfigException(key, "expected a list of values");
            }
            result.add(item.isNull() ? "" : YamlTree.writtenText(item)); // ~ in a list is empty, as in distribution
        }
        return result;
    }

    static List<String> patterns(JsonNode tree, String key) {
        List<String> result = strings(tree, key);
        for (String pattern : result) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(key, "invalid regular expression " + pattern);
            }
        }
        return result;
    }
}
