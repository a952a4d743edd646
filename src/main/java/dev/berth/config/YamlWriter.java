package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Writes a configuration tree as block YAML, through the SnakeYAML that reads it. A boolean or a number that was
 * written plain ({@link YamlTree.Written}) is written back as it was ({@code realm: yes}), so that it reads as the
 * same text and the same value again; other text is quoted where YAML would read it as something else.
 */
final class YamlWriter {

    private YamlWriter() {
    }

    static String write(JsonNode tree) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        StringWriter out = new StringWriter();
        new Yaml(options).serialize(node(tree), out);
        return out.toString();
    }

    private static Node node(JsonNode value) {
        if (value.isObject()) {
            List<NodeTuple> entries = new ArrayList<>();
            value.properties().forEach(entry -> entries.add(
                    new NodeTuple(scalar(Tag.STR, entry.getKey()), node(entry.getValue()))));
            return new MappingNode(Tag.MAP, entries, DumperOptions.FlowStyle.BLOCK);
        }
        if (value.isArray()) {
            List<Node> items = new ArrayList<>();
            value.forEach(item -> items.add(node(item)));
            return new SequenceNode(Tag.SEQ, items, DumperOptions.FlowStyle.BLOCK);
        }
        if (value.isNull()) {
            return scalar(Tag.NULL, "null");
        }
        String text = YamlTree.writtenText(value);
        if (value.isBoolean()) {
            return scalar(Tag.BOOL, text);
        }
        if (value.isIntegralNumber()) {
            return scalar(Tag.INT, text);
        }
        return scalar(value.isNumber() ? Tag.FLOAT : Tag.STR, text);
    }

    /** The emitter writes it plain when YAML reads it back with this tag, else quoted. */
    private static Node scalar(Tag tag, String value) {
        return new ScalarNode(tag, value, null, null, DumperOptions.ScalarStyle.PLAIN);
    }
}
