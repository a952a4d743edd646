package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.base.GeneratorBase;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    /** What manifests were read with before {@link Json#readTree}: the mapper, refusing anything after the value. */
    private static final ObjectReader MAPPER = new ObjectMapper(Json.FACTORY.copy()).reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:00\",\"size\":7},\"layers\":[]}",
        // whole numbers take the smallest node that holds them; others are doubles, whatever their digits
        "[0, -1, 2147483647, 2147483648, -2147483649, 9223372036854775807, 9223372036854775808, 1e400, 2.5, -0.0, 1E2]",
        // a repeated field keeps its last value, in the place of its first
        "{\"a\":1,\"b\":{\"c\":[]},\"a\":\"two\"}",
        "{\"deep\":[[[{\"x\":[null,true,false,{}]}]]],\"s\":\"\\u00e9\\n\\\"\",\"e\":{}}",
        "\"just text\"", "42", "null", "true", "[]", "  {}  \n",
    })
    void readsADocumentAsTheMapperDoes(String json) throws Exception {
        JsonNode tree = Json.readTree(utf8(json));

        assertThat(tree).isEqualTo(MAPPER.readTree(utf8(json)));
        // equal nodes of different kinds (an int and a long of the same value) are not equal, but be explicit
        assertThat(tree.toString()).isEqualTo(MAPPER.readTree(utf8(json)).toString());
    }

    @Test
    void keepsTheFieldsInTheirOrder() throws Exception {
        JsonNode tree = Json.readTree(utf8("{\"z\":1,\"a\":2,\"m\":3,\"z\":4}"));

        assertThat(tree.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("z", "a", "m");
        assertThat(tree.get("z").intValue()).isEqualTo(4);
    }

    @Test
    void givesTheMissingNodeForNoValueAtAll() throws Exception {
        assertThat(Json.readTree(new byte[0])).isSameAs(MissingNode.getInstance());
        assertThat(Json.readTree(utf8(" \n\t"))).isSameAs(MissingNode.getInstance());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{} {}", "{}]", "[1] 2", "1 2", "{\"a\":1}x", // something after the value
        "{", "[1,", "{\"a\":}", "{\"a\" 1}", "[1 2]", "{'a':1}", "[NaN]", "tru", "\"open", "[01]", "{\"a\":1,}",
    })
    void refusesWhatTheMapperRefuses(String json) {
        assertThatThrownBy(() -> MAPPER.readTree(utf8(json))).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> Json.readTree(utf8(json))).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void refusesNestingDeeperThanTheParsersLimit() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);

        assertThatThrownBy(() -> Json.readTree(utf8(deep))).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void aWrittenObjectsRecyclerIsPooledAgainOnlyWithItsBuffers() throws Exception {
        // the generator writes out what it holds as it closes: another request must not be able to take its
        // recycler then, before the generator has given the recycler its buffers back
        AtomicReference<BufferRecycler> recycler = new AtomicReference<>();
        List<Boolean> pooledAtEachWrite = new ArrayList<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                pooledAtEachWrite.add(isPooled(recycler.get()));
            }
        };

        Json.writeObject(out, json -> {
            recycler.set(((GeneratorBase) json).ioContext().bufferRecycler());
            json.writeStringField("name", "library/alpine");
        });

        assertThat(pooledAtEachWrite).isNotEmpty().containsOnly(false);
        assertThat(isPooled(recycler.get())).isTrue();
    }

    /** Whether the pool holds {@code recycler}, leaving the pool as it was. */
    private static boolean isPooled(BufferRecycler recycler) {
        RecyclerPool<BufferRecycler> pool = Json.FACTORY._getRecyclerPool();
        List<BufferRecycler> taken = new ArrayList<>();
        for (int i = pool.pooledCount(); i > 0; i--) {
            taken.add(pool.acquirePooled());
        }
        taken.forEach(pool::releasePooled);
        return taken.stream().anyMatch(r -> r == recycler);
    }
}
