package dev.berth.bench;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI image of random layers, a config naming them, and a manifest, all with their digests computed when
 * generated, so pushing and pulling it only moves and checks bytes. The layers live off the heap, in the arena
 * they were generated in: with them on the heap, the client's young collections copied them (0.4 s pauses inside
 * the timed push and pull of 32 images) and the client, not the registry, set the figure.
 */
record RandomImage(byte[] config, Digest configDigest, List<ByteBuffer> layers, List<Digest> layerDigests,
                   byte[] manifest, Digest manifestDigest) {

    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";

    RandomImage {
        layers = List.copyOf(layers);
        layerDigests = List.copyOf(layerDigests);
    }

    /** A new image whose layers are allocated in {@code arena}, which must outlive the image's use. */
    static RandomImage generate(RandomData random, Arena arena, int layerCount, int layerSize) {
        List<ByteBuffer> layers = new ArrayList<>();
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            ByteBuffer layer = random.offHeap(arena, layerSize).asReadOnlyBuffer();
            layers.add(layer);
            digests.add(Checks.sha256(layer));
        }
        StringBuilder diffIds = new StringBuilder();
        for (Digest digest : digests) {
            diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(digest).append('"');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"dev.berth.bench\":\""
                + random.id() + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Checks.sha256(config);
        StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"")
                .append(MediaType.OCI_MANIFEST).append("\",\"config\":")
                .append(descriptor(CONFIG_TYPE, configDigest, config.length)).append(",\"layers\":[");
        for (int i = 0; i < layerCount; i++) {
            manifest.append(i == 0 ? "" : ",")
                    .append(descriptor(LAYER_TYPE, digests.get(i), layers.get(i).remaining()));
        }
        byte[] manifestBytes = manifest.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        return new RandomImage(config, configDigest, layers, digests, manifestBytes, Checks.sha256(manifestBytes));
    }

    private static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    String mediaType() {
        return MediaType.OCI_MANIFEST;
    }

    /**
     * Pushes as a client does: for each layer and the config, HEAD to see whether the registry has it (it must
     * not: the content is new), then a monolithic upload; then the manifest under each tag.
     */
    void push(V2Client client, HttpConnection connection, String repository, List<String> tags) throws IOException {
        for (int i = 0; i < layers.size(); i++) {
            pushBlob(client, connection, repository, layers.get(i).duplicate(), layerDigests.get(i));
        }
        pushBlob(client, connection, repository, ByteBuffer.wrap(config), configDigest);
        for (String tag : tags) {
            client.putManifest(connection, repository, tag, manifest, mediaType());
        }
    }

    private static void pushBlob(V2Client client, HttpConnection connection, String repository, ByteBuffer content,
                                 Digest digest) throws IOException {
        if (client.hasBlob(connection, repository, digest)) {
            throw new CheckFailedException("HEAD blob: the registry claims new random content " + digest);
        }
        client.pushMonolithic(connection, repository, content, digest);
    }

    /** The size of this image's largest blob: what a buffer to pull it into needs. */
    int largestBlob() {
        return Math.max(config.length, layers.stream().mapToInt(ByteBuffer::remaining).max().orElse(0));
    }

    /**
     * Pulls as a client does: the manifest by tag, then the config and every layer, each received into
     * {@code scratch} (at least {@link #largestBlob()} bytes) and checked by digest.
     */
    void pull(V2Client client, HttpConnection connection, String repository, String tag, ByteBuffer scratch)
            throws IOException {
        client.manifest(connection, repository, tag, mediaType(), manifestDigest);
        client.blob(connection, repository, configDigest, config.length, scratch);
        for (int i = 0; i < layers.size(); i++) {
            client.blob(connection, repository, layerDigests.get(i), layers.get(i).remaining(), scratch);
        }
    }
}
