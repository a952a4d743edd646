package dev.berth.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jackson as the registry uses it: a factory that streams JSON (the API's bodies, a manifest's top-level fields), and
 * a mapper for whole trees (a manifest checked when pushed, notifications).
 *
 * <p>The mapper is made when first asked for: making it loads about 250 of Jackson's databind classes and took a fresh
 * server's first error body 150 ms (a 404 answered in 215 ms, the next in 4), while streaming needs only the core.
 *
 * <p>Jackson keeps the buffers a parser or generator works in per thread by default, and every request runs on
 * a virtual thread of its own, so each parse and each body allocated them anew: 16 of the 20 KB that writing a
 * listing of 100 tags allocated. Here they come from a small shared pool instead, which the mapper's copy of the
 * factory shares. It is bounded so that it never holds more than a few sets: no JSON work blocks while it holds one
 * (it reads and writes byte arrays), so no more run at once than there are carrier threads, and any beyond the bound
 * are simply dropped.
 */
public final class Json {

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(4 * Runtime.getRuntime().availableProcessors()))
            .build();

    private Json() {
    }

    /** The one mapper, made on first use. */
    public static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    /** Holds the mapper, so that it is made when {@link #mapper} is first called, not with {@link #FACTORY}. */
    private static final class Mapper {
        // a copy: a mapper makes itself its factory's codec, and the streaming factory stays without one
        static final ObjectMapper INSTANCE = new ObjectMapper(FACTORY.copy());
    }
}
