package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.io.StringReader;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.reader.UnicodeReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a YAML document into a JSON tree through SnakeYAML's composer, without a Jackson parser: the first Jackson
 * parser a JVM creates runs {@code BigDecimal}'s static initializer (its parsers' constants are {@code BigDecimal}s),
 * which in JDK 25 squares its way to 5^65536 and took tens of milliseconds of a server's start. Scalars are
 * typed as Jackson's YAML parser types them, which asks the same SnakeYAML resolver for a scalar's tag: YAML 1.1's
 * booleans ({@code yes}, {@code on}...), numbers (whole ones also in hexadecimal, octal, binary) and nulls;
 * anything else, quoted scalars and timestamps included, is text. A boolean or a number keeps the text it was
 * written as ({@link Written}). Aliases are expanded and merge keys merged, as distribution's YAML library does.
 */
final class YamlTree {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Resolver RESOLVER = new Resolver();
    private static final Set<String> ONE_LETTER_BOOLEANS = Set.of("y", "Y", "n", "N");

    /**
     * A plain scalar that YAML 1.1 reads as a boolean or a number, with the text it was written as. A setting that
     * takes text reads that text, as distribution's YAML library fills a string field: {@code secret: 0123} is
     * "0123", not "83", and {@code realm: yes} is "yes", not "true".
     */
    sealed interface Written {
        String written();
    }

    /** A value's text, as it was written where it is {@link Written}: {@code 0123} and {@code yes} stay so. */
    static String writtenText(JsonNode value) {
        return value instanceof Written written ? written.written() : value.asText();
    }

    private YamlTree() {
    }

    /** The first document's tree; empty when the file holds none. Its encoding is UTF-8 unless a BOM says otherwise. */
    static Optional<JsonNode> read(byte[] file) {
        return read(new UnicodeReader(new ByteArrayInputStream(file)));
    }

    /** As {@link #read(byte[])}, for text already decoded. */
    static Optional<JsonNode> read(String text) {
        return read(new StringReader(text));
    }

    private static Optional<JsonNode> read(Reader text) {
        LoaderOptions options = new LoaderOptions();
        options.setMergeOnCompose(true); // merge keys (<<: *defaults), which distribution's YAML library merges too
        Composer composer = new Composer(new ParserImpl(new StreamReader(text), options), RESOLVER, options);
        return composer.checkNode() ? Optional.of(tree(composer.getNode(), ancestors())) : Optional.empty();
    }

    private static Set<Node> ancestors() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private static JsonNode tree(Node node, Set<Node> ancestors) {
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar);
        }
        if (!ancestors.add(node)) {
            // an alias of a collection inside that collection: expanding it would never end
            throw new YAMLException("recursive alias" + node.getStartMark());
        }
        JsonNode tree;
        if (node instanceof MappingNode mapping) {
            ObjectNode object = NODES.objectNode();
            for (NodeTuple entry : mapping.getValue()) {
                if (!(entry.getKeyNode() instanceof ScalarNode key)) {
                    throw new YAMLException("a key must be a plain value" + entry.getKeyNode().getStartMark());
                }
                object.set(key.getValue(), tree(entry.getValueNode(), ancestors));
            }
            tree = object;
        } else {
            ArrayNode list = NODES.arrayNode();
            for (Node item : ((SequenceNode) node).getValue()) {
                list.add(tree(item, ancestors));
            }
            tree = list;
        }
        ancestors.remove(node);
        return tree;
    }

    private static JsonNode scalar(ScalarNode scalar) {
        Tag tag = scalar.isPlain() ? yaml11(scalar.getValue(), scalar.getTag()) : scalar.getTag();
        return typed(scalar.getValue(), tag);
    }

    /**
     * A value written on its own, as an unquoted YAML scalar: {@code yes} is a boolean, {@code 0123} a number, both
     * {@link Written}; {@code ~} is null; anything else is the text itself.
     */
    static JsonNode plainScalar(String value) {
        return typed(value, yaml11(value, RESOLVER.resolve(NodeId.scalar, value, true)));
    }

    /** YAML 1.1, and distribution's YAML library, read a plain y or n as a boolean too; SnakeYAML does not. */
    private static Tag yaml11(String plain, Tag resolved) {
        return resolved.equals(Tag.STR) && ONE_LETTER_BOOLEANS.contains(plain) ? Tag.BOOL : resolved;
    }

    private static JsonNode typed(String value, Tag tag) {
        if (tag.equals(Tag.NULL)) {
            return NODES.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            return bool(value).<JsonNode>map(b -> new WrittenBoolean(b, value)).orElseGet(() -> NODES.textNode(value));
        }
        if (tag.equals(Tag.INT)) {
            return wholeNumber(value).orElseGet(() -> NODES.textNode(value));
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                return new WrittenDouble(Double.parseDouble(value.replace("_", "")), value);
            } catch (NumberFormatException e) {
                return NODES.textNode(value); // .inf, .nan and sexagesimal floats: no setting takes them
            }
        }
        return NODES.textNode(value);
    }

    private static Optional<Boolean> bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "y" -> Optional.of(true);
            case "false", "no", "off", "n" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** YAML 1.1's integers: decimal, {@code 0x} hexadecimal, {@code 0b} binary, octal after a leading 0. */
    private static Optional<JsonNode> wholeNumber(String value) {
        String digits = value.replace("_", "");
        boolean negative = digits.startsWith("-");
        if (negative || digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0b")) {
            radix = digits.charAt(1) == 'x' ? 16 : 2;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
        }
        try {
            long number = Long.parseLong(negative ? "-" + digits : digits, radix);
            return Optional.of(number == (int) number ? new WrittenInt((int) number, value)
                    : new WrittenLong(number, value));
        } catch (NumberFormatException e) {
            return Optional.empty(); // sexagesimal (1:30) or past a long: as text, as Jackson gives them
        }
    }

    // Jackson's own node types, so that everything that reads the tree as numbers and booleans still does

    private static final class WrittenBoolean extends BooleanNode implements Written {
        private final String written;

        WrittenBoolean(boolean value, String written) {
            super(value);
            this.written = written;
        }

        @Override
        public String written() {
            return written;
        }
    }

    private static final class WrittenInt extends IntNode implements Written {
        private final String written;

        WrittenInt(int value, String written) {
            super(value);
            this.written = written;
        }

        @Override
        public String written() {
            return written;
        }
    }

    private static final class WrittenLong extends LongNode implements Written {
        private final String written;

        WrittenLong(long value, String written) {
            super(value);
            this.written = written;
        }

        @Override
        public String written() {
            return written;
        }
    }

    private static final class WrittenDouble extends DoubleNode implements Written {
        private final String written;

        WrittenDouble(double value, String written) {
            super(value);
            this.written = written;
        }

        @Override
        public String written() {
            return written;
        }
    }
}
