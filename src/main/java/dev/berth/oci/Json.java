package dev.berth.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson mapper that reads manifests and writes the API's JSON bodies.
 *
 * <p>Jackson keeps the buffers a parser or generator works in per thread by default, and every request runs on
 * a virtual thread of its own, so each parse and each body allocated them anew: 16 of the 20 KB that writing a
 * listing of 100 tags allocated. Here they come from a small shared pool instead. It is bounded so that it never
 * holds more than a few sets: no JSON work blocks while it holds one (it reads and writes byte arrays), so no
 * more run at once than there are carrier threads, and any beyond the bound are simply dropped.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(4 * Runtime.getRuntime().availableProcessors()))
            .build());

    private Json() {
    }
}
