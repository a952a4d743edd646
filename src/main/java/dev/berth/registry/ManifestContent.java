package dev.berth.registry;

import dev.berth.oci.Digest;
import java.nio.ByteBuffer;

/**
 * A stored manifest: the exact bytes that were pushed, their digest and their media type. The bytes are shared by
 * the cache of manifests and by every response that serves them, so they are handed out read-only and never
 * copied: a manifest can be 4 MiB, and many pulls of it run at once.
 */
public final class ManifestContent {

    private final Digest digest;
    private final String mediaType;
    private final byte[] bytes;

    /** Takes {@code bytes} over: the caller must not change them afterwards. */
    ManifestContent(Digest digest, String mediaType, byte[] bytes) {
        this.digest = digest;
        this.mediaType = mediaType;
        this.bytes = bytes;
    }

    public Digest digest() {
        return digest;
    }

    public String mediaType() {
        return mediaType;
    }

    public int size() {
        return bytes.length;
    }

    /** The bytes, as a read-only buffer of their own position. */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
}
