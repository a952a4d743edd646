package dev.berth.registry;

import java.io.InputStream;
import java.util.OptionalLong;

/**
 * Bytes a client sends to an upload.
 *
 * @param start  where the client says the chunk begins (Content-Range), when it says so
 * @param length how many bytes the client announced (Content-Length or the range's size), when it did
 */
public record Chunk(Body body, OptionalLong start, OptionalLong length) {

    public Chunk(InputStream body, OptionalLong start, OptionalLong length) {
        this(Body.of(body), start, length);
    }

    public static Chunk streamed(InputStream body) {
        return new Chunk(body, OptionalLong.empty(), OptionalLong.empty());
    }
}
