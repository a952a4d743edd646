package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class YamlWriterTest {

    private static final String CONFIG = """
            version: 0.1
            http: {addr: ':5000', headers: {X-Content-Type-Options: [nosniff]}}
            auth:
              htpasswd: {realm: yes, path: /etc/registry/htpasswd}
            storage:
              delete: {enabled: on}
            log:
              fields: {service: 0123, count: +3, ratio: 1.50, big: 0x1_0000_0000, text: 'true', quoted: '0123', none: ~}
            """;

    @Test
    void writesBooleansAndNumbersAsTheyWereWritten() {
        String yaml = YamlWriter.write(YamlTree.read(CONFIG).orElseThrow());
        assertThat(yaml).contains("realm: yes", "enabled: on", "count: +3", "ratio: 1.50",
                "big: 0x1_0000_0000", "version: 0.1", "addr: :5000", "- nosniff");
    }

    @Test
    void quotesTextThatYamlWouldReadAsSomethingElse() {
        String yaml = YamlWriter.write(YamlTree.read(CONFIG).orElseThrow());
        assertThat(yaml).contains("text: 'true'", "quoted: '0123'", "none: null");
    }

    /** SnakeYAML's emitter tags a number with a leading zero rather than write it plain; it reads back the same. */
    @Test
    void readsBackAsTheSameTreeWithTheSameWrittenText() {
        JsonNode tree = YamlTree.read(CONFIG).orElseThrow();
        JsonNode again = YamlTree.read(YamlWriter.write(tree)).orElseThrow();
        assertThat(again).isEqualTo(tree);
        assertThat(ConfigTree.text(again, "auth.htpasswd.realm")).contains("yes");
        assertThat(ConfigTree.text(again, "log.fields.service")).contains("0123");
        assertThat(ConfigTree.bool(again, "storage.delete.enabled")).contains(true);
    }

    @Test
    void writesValuesMadeInCodeByTheirType() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("flag", false).put("count", 3).put("name", "no").putNull("nothing");
        assertThat(YamlWriter.write(tree)).isEqualTo("flag: false\ncount: 3\nname: 'no'\nnothing: null\n");
    }
}
