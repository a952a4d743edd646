package dev.berth.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The bytes of a request body, handed over buffer by buffer as they arrive, so that the server's own buffers
 * go to the hash and the file without a copy through the heap.
 */
@FunctionalInterface
public interface Body {

    /** Receives the buffers of a body in order; a buffer is valid only during the call that receives it. */
    @FunctionalInterface
    interface Sink {
        void accept(ByteBuffer buffer) throws IOException;
    }

    /** Passes every buffer of the body to {@code sink}, then returns; throws when the body fails midway. */
    void transferTo(Sink sink) throws IOException;

    /** A body read from a stream, 256 KiB at a time. */
    static Body of(InputStream in) {
        return sink -> {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (n > 0) {
                    sink.accept(ByteBuffer.wrap(buffer, 0, n));
                }
            }
        };
    }
}
