package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.error.YAMLException;

class YamlTreeTest {

    /** What the configuration was read with before, and what Jackson's YAML parser makes of the same text. */
    private static final ObjectMapper JACKSON = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @ValueSource(strings = {
        """
        version: 0.1
        http: {addr: ':5000', headers: {X-Content-Type-Options: [nosniff]}}
        storage:
          filesystem: {rootdirectory: /var/lib/registry}
          delete: {enabled: true}
        notifications:
          endpoints:
            - name: listener
              url: https://example.com/events
              timeout: 500ms
              threshold: 5
        """,
        "a: yes\nb: No\nc: ON\nd: off\ne: True\nf: FALSE\ng: 'yes'\nh: \"true\"\ni: 'y'\nj: \"n\"\n",
        "a: 42\nb: -7\nc: +3\nd: 0x1F\ne: 0b101\nf: 0777\ng: 1_000\nh: 0\ni: 9223372036854775807\n"
            + "j: 2147483648\nk: 1:30\n",
        "a: 1.5\nb: -0.25\nc: 1_0.5\nd: 3.0e2\ne: '1.5'\n",
        "a:\nb: ~\nc: null\nd: Null\ne: ''\nf: \"\"\ng: [~, null, '']\n",
        "a: 2001-12-14\nb: 5m\nc: 1h30m\nd: 127.0.0.1:5000\ne: '[::1]:5000'\nf: 'a: b'\ng: >\n  folded\n  text\n",
        "a: !!str 42\nb: !!int \"42\"\nc: !!bool yes\nd: !!float 1\n",
        "list:\n  - one\n  - two: 2\n    three: [3, '3']\n  - [nested, [deeper]]\n",
        "1: number key\ntrue: boolean key\n~: null key\n",
        "a: 1\na: 2\n",
        "",
        "# only a comment\n",
        "plain text\n",
        "[1, 2]\n",
    })
    void typesScalarsAsJacksonDoes(String yaml) throws Exception {
        JsonNode jackson = JACKSON.readTree(yaml);
        assertThat(YamlTree.read(yaml.getBytes(StandardCharsets.UTF_8)).orElse(MissingNode.getInstance()))
                .isEqualTo(jackson);
    }

    @Test
    void keepsTheTextABooleanOrANumberWasWrittenAs() {
        JsonNode tree = YamlTree.read("a: 0123\nb: yes\nc: 0x1F\nd: 12345678901\ne: 1.50\nf: 1_000\ng: Off\nh: y\n"
                + "i: N\n").orElseThrow();
        assertThat(tree.get("a").asInt()).isEqualTo(83);
        assertThat(tree.get("b").asBoolean()).isTrue();
        // YAML 1.1's one-letter booleans, which distribution's YAML library reads and SnakeYAML does not
        assertThat(tree.get("h").isBoolean() && tree.get("h").asBoolean()).isTrue();
        assertThat(tree.get("i").isBoolean() && !tree.get("i").asBoolean()).isTrue();
        assertThat(tree.get("d").asLong()).isEqualTo(12345678901L);
        assertThat(tree.get("e").asDouble()).isEqualTo(1.5);
        assertThat(tree.properties()).allSatisfy(e -> assertThat(e.getValue()).isInstanceOf(YamlTree.Written.class));
        assertThat(tree.properties()).extracting(e -> ((YamlTree.Written) e.getValue()).written())
                .containsExactly("0123", "yes", "0x1F", "12345678901", "1.50", "1_000", "Off", "y", "N");
    }

    @Test
    void readsAValueWrittenOnItsOwnAsAPlainScalar() {
        JsonNode on = YamlTree.plainScalar("on");
        assertThat(on.isBoolean() && on.asBoolean()).isTrue();
        assertThat(((YamlTree.Written) on).written()).isEqualTo("on");
        assertThat(YamlTree.plainScalar("0777").asInt()).isEqualTo(511);
        assertThat(YamlTree.plainScalar("~").isNull()).isTrue();
        assertThat(YamlTree.plainScalar("s3cr3t #x").asText()).isEqualTo("s3cr3t #x");
    }

    @Test
    void readsTheFirstDocumentOfSeveral() throws Exception {
        String yaml = "---\na: 1\n---\na: 2\n";
        assertThat(YamlTree.read(yaml)).contains(JACKSON.readTree(yaml)).get().extracting(n -> n.get("a").asInt())
                .isEqualTo(1);
    }

    @Test
    void expandsAliasesAsDistributionsYamlLibraryDoes() {
        JsonNode tree = YamlTree.read("""
                defaults: &defaults
                  enabled: true
                  age: 168h
                uploadpurging: *defaults
                hosts: [&host registry.example.com, *host]
                """).orElseThrow();
        assertThat(tree.get("uploadpurging")).isEqualTo(tree.get("defaults"));
        assertThat(tree.get("uploadpurging").get("enabled").isBoolean()).isTrue();
        assertThat(tree.get("hosts").get(1).asText()).isEqualTo("registry.example.com");
    }

    @Test
    void mergesMergeKeysWithTheMappingsOwnKeysFirst() {
        JsonNode tree = YamlTree.read("""
                base: &base {enabled: true, age: 168h, interval: 24h}
                fast: &fast {interval: 1h, dryrun: false}
                uploadpurging:
                  <<: [*fast, *base]
                  age: 48h
                """).orElseThrow();
        assertThat(tree.get("uploadpurging")).isEqualTo(YamlTree.read(
                "{enabled: true, age: 48h, interval: 1h, dryrun: false}").orElseThrow());
    }

    @Test
    void refusesAnAliasInsideWhatItNames() {
        assertThatThrownBy(() -> YamlTree.read("a: &loop\n  b: *loop\n")).isInstanceOf(YAMLException.class)
                .hasMessageContaining("recursive alias");
    }

    @Test
    void refusesACollectionAsAKey() {
        assertThatThrownBy(() -> YamlTree.read("? [a, b]\n: c\n")).isInstanceOf(YAMLException.class)
                .hasMessageContaining("a key must be a plain value");
    }

    @Test
    void reportsSyntaxErrorsWithTheirLine() {
        assertThatThrownBy(() -> YamlTree.read("a: 1\n b: 2\nc: [\n")).isInstanceOf(YAMLException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void decodesByTheByteOrderMark() {
        byte[] utf16 = "\uFEFFlevel: debug\n".getBytes(StandardCharsets.UTF_16BE);
        assertThat(YamlTree.read(utf16).orElseThrow().get("level").asText()).isEqualTo("debug");
    }
}
