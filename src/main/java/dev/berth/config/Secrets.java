package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Hides the values of a configuration that must not be printed: passwords, keys, headers sent elsewhere, and the
 * credentials of URLs.
 */
final class Secrets {

    static final TextNode MASK = TextNode.valueOf("*****");
    /** Keys whose values are secrets wherever they appear (http.secret, redis.password, storage.s3.secretkey...). */
    private static final Set<String> SECRET_NAMES = Set.of("secret", "password", "accesskey", "secretkey",
            "accountkey", "private_key", "clientsecret", "sessiontoken");

    /** The credentials of a URL ({@code https://user:password@host/}), wherever one is written. */
    private static final Pattern URL_CREDENTIALS = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@");

    private Secrets() {
    }

    /** A copy of {@code tree} with every secret replaced by {@link #MASK}. */
    static JsonNode masked(JsonNode tree) {
        JsonNode copy = tree.deepCopy();
        mask(copy, "");
        return copy;
    }

    private static void mask(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> {
                String name = field.getKey().toLowerCase(Locale.ROOT);
                String child = path.isEmpty() ? name : path + "." + name;
                // headers of notifications and health checks carry credentials to other services;
                // http.headers are what every client sees anyway
                if (SECRET_NAMES.contains(name) || (name.equals("headers") && !child.equals("http.headers"))) {
                    field.setValue(maskAll(field.getValue()));
                } else if (field.getValue().isTextual()) {
                    maskUrlCredentials(field);
                } else {
                    mask(field.getValue(), child);
                }
            });
        } else if (node instanceof ArrayNode array) {
            array.forEach(item -> mask(item, path + "[]"));
        }
    }

    /** Replaces the value only when it changes: a value as written keeps how it was written. */
    private static void maskUrlCredentials(Map.Entry<String, JsonNode> field) {
        String written = field.getValue().asText();
        String masked = URL_CREDENTIALS.matcher(written).replaceFirst("$1" + MASK.asText() + "@");
        if (!masked.equals(written)) {
            field.setValue(TextNode.valueOf(masked));
        }
    }

    private static JsonNode maskAll(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> field.setValue(maskAll(field.getValue())));
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, maskAll(array.get(i)));
            }
            return array;
        }
        return node.isNull() ? node : MASK;
    }
}
