package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The values Berth uses for keys a configuration leaves out, written into the tree itself so that
 * {@code config check} prints what is in effect and the sections read one source.
 */
final class Defaults {

    /** A default for {@code key}, applied when {@code section} is present (always, when it is empty). */
    private record Default(String section, String key, JsonNode value) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** distribution's root for a filesystem driver named without one. */
    private static final String FILESYSTEM_ROOT = "/var/lib/registry";
    private static final List<Default> DEFAULTS = List.of(
            new Default("", "log.level", NODES.textNode("info")),
            new Default("", "log.formatter", NODES.textNode("text")),
            new Default("", "log.accesslog.disabled", BooleanNode.FALSE),
            new Default("", "storage.delete.enabled", BooleanNode.FALSE),
            new Default("", "storage.maintenance.readonly.enabled", BooleanNode.FALSE),
            new Default("", "http.addr", NODES.textNode(":5000")),
            new Default("", "http.relativeurls", BooleanNode.FALSE),
            // a stop waits this long for pushes in progress; docker stop allows 10s before SIGKILL
            new Default("", "http.draintimeout", NODES.textNode("5s")),
            new Default("http.debug.prometheus", "http.debug.prometheus.path", NODES.textNode("/metrics")),
            new Default("health.storagedriver", "health.storagedriver.interval", NODES.textNode("10s")),
            new Default("health.storagedriver", "health.storagedriver.threshold", NODES.numberNode(1)));

    private Defaults() {
    }

    /**
     * Fills in what {@code tree} leaves out; with no storage driver at all, the filesystem under
     * {@code defaultRoot}, and with the filesystem named without a root directory, distribution's. distribution's
     * deprecated top-level {@code loglevel} stands in for {@code log.level}.
     */
    static void apply(ObjectNode tree, Path defaultRoot) {
        JsonNode legacyLevel = tree.path("loglevel");
        if (legacyLevel.isValueNode() && !ConfigTree.present(tree, "log.level")) {
            put(tree, "log.level", legacyLevel);
        }
        if (!ConfigTree.present(tree, "storage") || ConfigLoader.drivers(tree.path("storage")).isEmpty()) {
            put(tree, "storage.filesystem.rootdirectory", NODES.textNode(defaultRoot.toString()));
        } else if (tree.path("storage").has("filesystem") && absent(tree, "storage.filesystem.rootdirectory")) {
            put(tree, "storage.filesystem.rootdirectory", NODES.textNode(FILESYSTEM_ROOT));
        }
        for (Default d : DEFAULTS) {
            if ((d.section().isEmpty() || ConfigTree.present(tree, d.section())) && absent(tree, d.key())) {
                put(tree, d.key(), d.value());
            }
        }
    }

    /** Missing, null, or an empty string, which distribution also reads as unset. */
    private static boolean absent(ObjectNode tree, String key) {
        JsonNode node = ConfigTree.at(tree, key);
        return !ConfigTree.present(tree, key) || (node.isTextual() && node.asText().isEmpty());
    }

    private static void put(ObjectNode tree, String key, JsonNode value) {
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.get(parts[i]) instanceof ObjectNode child ? child : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
    }
}
