package dev.berth.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.GeneratorBase;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Jackson as the registry uses it: a factory that streams JSON (the API's bodies, notifications, a manifest's
 * top-level fields) and trees read with it (manifests), without databind's {@code ObjectMapper}: making one loads
 * about 250 of databind's classes, which took a fresh server 150 ms at its first error body, and then at its first
 * pushed manifest, and held 2.6 MB more of metaspace once a notification had made it, while streaming, and trees
 * built from it ({@link #readTree}), need only the core and the node classes.
 *
 * <p>Jackson keeps the buffers a parser or generator works in per thread by default, and every request runs on
 * a virtual thread of its own, so each parse and each body allocated them anew: 16 of the 20 KB that writing a
 * listing of 100 tags allocated. Here they come from a small shared pool instead. It is bounded so that it never
 * holds more than a few sets: no JSON work blocks while it holds one (it reads and writes byte arrays), so no more
 * run at once than there are carrier threads, and any beyond the bound are simply dropped.
 */
public final class Json {

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(4 * Runtime.getRuntime().availableProcessors()))
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    /**
     * The one JSON value in {@code json} as a tree of Jackson's nodes, as databind's {@code ObjectMapper} reads it
     * (a repeated field keeps its last value; whole numbers become int, long or big-integer nodes by size, others
     * doubles), without the mapper. {@link MissingNode} when there is no value; a {@link JsonParseException} when
     * anything follows it.
     */
    public static JsonNode readTree(byte[] json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return MissingNode.getInstance();
            }
            // iterative, so that a deep document costs heap, not stack (the parser bounds its depth)
            Deque<JsonNode> open = new ArrayDeque<>();
            JsonNode root = null;
            while (true) {
                JsonNode node = switch (token) {
                    case START_OBJECT -> NODES.objectNode();
                    case START_ARRAY -> NODES.arrayNode();
                    case VALUE_STRING -> NODES.textNode(parser.getText());
                    case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                        case INT -> NODES.numberNode(parser.getIntValue());
                        case LONG -> NODES.numberNode(parser.getLongValue());
                        default -> NODES.numberNode(parser.getBigIntegerValue());
                    };
                    case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
                    case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(token == JsonToken.VALUE_TRUE);
                    case VALUE_NULL -> NODES.nullNode();
                    case END_OBJECT, END_ARRAY -> {
                        open.pop();
                        yield null;
                    }
                    // a field's name is read with its value
                    case FIELD_NAME -> null;
                    default -> throw new JsonParseException(parser, "unexpected " + token);
                };
                if (node != null) {
                    switch (open.peek()) {
                        case null -> root = node;
                        case ObjectNode object -> object.set(parser.currentName(), node);
                        case ArrayNode array -> array.add(node);
                        default -> throw new IllegalStateException("only containers are open");
                    }
                    if (node.isContainerNode()) {
                        open.push(node);
                    }
                }
                if (open.isEmpty()) {
                    if (parser.nextToken() != null) {
                        throw new JsonParseException(parser, "more JSON after the value");
                    }
                    return root;
                }
                token = parser.nextToken();
            }
        }
    }

    /** The fields of one JSON object, written with a generator. */
    public interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    /** {@code {...}} holding what {@code fields} writes, as UTF-8. */
    public static byte[] object(Fields fields) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder()) {
            writeObject(bytes, fields);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code {...}} holding what {@code fields} writes to {@code out}. Jackson's generator (2.23) hands its
     * buffer recycler back to the pool as it begins to close, and the recycler its buffers only as it ends: a
     * request that took the recycler in between found it empty and made 16 KB of buffers anew, and of the two sets
     * handed back one was dropped, often the older one, by then in the old generation (about 170 times in a run of
     * the small requests). So the generator leaves the recycler alone; it goes back here once the generator closed.
     */
    static void writeObject(OutputStream out, Fields fields) throws IOException {
        JsonGenerator json = FACTORY.createGenerator(out);
        BufferRecycler recycler = ((GeneratorBase) json).ioContext().markBufferRecyclerReleased().bufferRecycler();
        try (json) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } finally {
            recycler.releaseToPool();
        }
    }
}
