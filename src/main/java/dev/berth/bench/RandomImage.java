package dev.berth.bench;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI image of random layers, a config naming them, and a manifest, all with their digests computed when
 * generated, so pushing and pulling it only moves and checks bytes.
 */
record RandomImage(byte[] config, Digest configDigest, List<byte[]> layers, List<Digest> layerDigests,
                   byte[] manifest, Digest manifestDigest) {

    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";

    RandomImage {
        layers = List.copyOf(layers);
        layerDigests = List.copyOf(layerDigests);
    }

    static RandomImage generate(RandomData random, int layerCount, int layerSize) {
        List<byte[]> layers = new ArrayList<>();
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            byte[] layer = random.bytes(layerSize);
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
            manifest.append(i == 0 ? "" : ",").append(descriptor(LAYER_TYPE, digests.get(i), layers.get(i).length));
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

    long bytes() {
        return config.length + manifest.length + layers.stream().mapToLong(layer -> layer.length).sum();
    }

    /**
     * Pushes as a client does: for each layer and the config, HEAD to see whether the registry has it (it must
     * not: the content is new), then a monolithic upload; then the manifest under each tag.
     */
    void push(V2Client client, HttpConnection connection, String repository, List<String> tags) throws IOException {
        for (int i = 0; i < layers.size(); i++) {
            pushBlob(client, connection, repository, layers.get(i), layerDigests.get(i));
        }
        pushBlob(client, connection, repository, config, configDigest);
        for (String tag : tags) {
            client.putManifest(connection, repository, tag, manifest, mediaType());
        }
    }

    private static void pushBlob(V2Client client, HttpConnection connection, String repository, byte[] content,
                                 Digest digest) throws IOException {
        if (client.hasBlob(connection, repository, digest)) {
            throw new CheckFailedException("HEAD blob: the registry claims new random content " + digest);
        }
        client.pushMonolithic(connection, repository, ByteBuffer.wrap(content), digest);
    }

    /** Pulls as a client does: the manifest by tag, then the config and every layer, each checked by digest. */
    void pull(V2Client client, HttpConnection connection, String repository, String tag) throws IOException {
        client.manifest(connection, repository, tag, mediaType(), manifestDigest);
        client.blob(connection, repository, configDigest);
        for (Digest layer : layerDigests) {
            client.blob(connection, repository, layer);
        }
    }
}
