package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Typed reads of a configuration tree by dotted key path, each failure naming the key. */
final class ConfigTree {

    private static final Pattern DURATION = Pattern.compile("(?:\\d{1,9}(?:h|m|s|ms))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(h|ms|m|s)");

    private ConfigTree() {
    }

    static JsonNode at(JsonNode tree, String key) {
        JsonNode node = tree;
        for (String part : key.split("\\.")) {
            node = node.path(part);
        }
        return node;
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
        return Optional.of(node.asText()).filter(s -> !s.isEmpty());
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

    /** A duration as distribution writes them ({@code 300s}, {@code 5m}, {@code 1h30m}, {@code 500ms}). */
    static Optional<Duration> duration(JsonNode tree, String key) {
        Optional<String> text = text(tree, key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!DURATION.matcher(text.get()).matches()) {
            throw new ConfigException(key, "expected a duration such as 90s, 5m or 1h, not " + text.get());
        }
        Duration total = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(text.get());
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
            });
        }
        return Optional.of(total);
    }

    /** A list of strings; a single string counts as a list of one. */
    static List<String> strings(JsonNode tree, String key) {
        JsonNode node = at(tree, key);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray()) {
            throw new ConfigException(key, "expected a list");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isValueNode()) {
                throw new ConfigException(key, "expected a list of values");
            }
            result.add(item.asText());
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
