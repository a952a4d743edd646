package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * distribution's {@code log} section beyond the level: how lines are written and what they carry.
 *
 * @param format    {@code log.formatter}
 * @param fields    {@code log.fields}: added to every line
 * @param accessLog one line per request, unless {@code log.accesslog.disabled}
 */
public record LogSettings(Format format, Map<String, String> fields, boolean accessLog) {

    /** {@code log.formatter}: plain text, one JSON object per line, or logstash's JSON layout. */
    public enum Format { TEXT, JSON, LOGSTASH }

    static final Set<String> KEYS = Set.of("log.formatter", "log.fields", "log.accesslog.disabled");

    public LogSettings {
        fields = Map.copyOf(fields);
    }

    static LogSettings read(JsonNode tree) {
        String formatter = ConfigTree.text(tree, "log.formatter").orElseThrow().toLowerCase(Locale.ROOT);
        Format format = switch (formatter) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            case "logstash" -> Format.LOGSTASH;
            default -> throw new ConfigException("log.formatter", "must be text, json or logstash, not " + formatter);
        };
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode written = ConfigTree.at(tree, "log.fields");
        if (!written.isMissingNode() && !written.isNull() && !written.isObject()) {
            throw new ConfigException("log.fields", "expected a mapping of names to values");
        }
        addFields(written, "log.fields", "", fields);
        return new LogSettings(format, fields, !ConfigTree.bool(tree, "log.accesslog.disabled").orElseThrow());
    }

    /**
     * A nested mapping, which distribution's logger accepts and prints as a Go map, gives dotted names:
     * {@code {a: {b: c}}} is {@code a.b=c}. A list is joined with commas.
     */
    private static void addFields(JsonNode mapping, String key, String prefix, Map<String, String> fields) {
        mapping.properties().forEach(field -> {
            String name = prefix + field.getKey();
            if (field.getValue().isObject()) {
                addFields(field.getValue(), key + "." + field.getKey(), name + ".", fields);
            } else {
                fields.put(name, String.join(",", ConfigTree.values(field.getValue(), key + "." + field.getKey())));
            }
        });
    }
}
