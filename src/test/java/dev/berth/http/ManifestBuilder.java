package dev.berth.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * Builds manifest bodies of every type Berth accepts. Bodies are pretty-printed with a random annotation, so
 * each is unique and a server that re-serialized instead of keeping the exact bytes would be caught.
 */
final class ManifestBuilder {

    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    static final String OCI_FOREIGN_LAYER = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String mediaType;
    private final ObjectNode root = JSON.createObjectNode();

    private ManifestBuilder(String mediaType) {
        this.mediaType = mediaType;
        root.put("schemaVersion", 2);
        root.put("mediaType", mediaType);
    }

    static ManifestBuilder ociImage(TestBlob config, TestBlob... layers) {
        return image(TestManifest.OCI_MANIFEST, config.descriptor(OCI_CONFIG), OCI_LAYER, layers);
    }

    static ManifestBuilder dockerImage(TestBlob config, TestBlob... layers) {
        return image(TestManifest.DOCKER_MANIFEST, config.descriptor(DOCKER_CONFIG), DOCKER_LAYER, layers);
    }

    /** An OCI 1.1 artifact: {@code artifactType}, the empty config {@code {}} and one layer per blob. */
    static ManifestBuilder artifact(String artifactType, TestBlob... layers) {
        ManifestBuilder builder = image(TestManifest.OCI_MANIFEST, TestBlob.EMPTY_JSON.descriptor(OCI_EMPTY),
                "application/octet-stream", layers);
        builder.root.put("artifactType", artifactType);
        return builder;
    }

    static ManifestBuilder ociIndex(TestManifest... children) {
        return index(TestManifest.OCI_INDEX, children);
    }

    static ManifestBuilder dockerList(TestManifest... children) {
        return index(TestManifest.DOCKER_MANIFEST_LIST, children);
    }

    private static ManifestBuilder image(String mediaType, ObjectNode config, String layerType, TestBlob... layers) {
        ManifestBuilder builder = new ManifestBuilder(mediaType);
        builder.root.set("config", config);
        ArrayNode array = builder.root.putArray("layers");
        for (TestBlob layer : layers) {
            array.add(layer.descriptor(layerType));
        }
        return builder.annotation("test.unique", UUID.randomUUID().toString());
    }

    private static ManifestBuilder index(String mediaType, TestManifest... children) {
        ManifestBuilder builder = new ManifestBuilder(mediaType);
        ArrayNode array = builder.root.putArray("manifests");
        for (TestManifest child : children) {
            ObjectNode descriptor = child.descriptor();
            descriptor.putObject("platform").put("os", "linux").put("architecture", "amd64");
            array.add(descriptor);
        }
        return builder.annotation("test.unique", UUID.randomUUID().toString());
    }

    /** A layer fetched from {@code url} rather than from the registry. */
    ManifestBuilder foreignLayer(TestBlob layer, String url) {
        ObjectNode descriptor = layer.descriptor(OCI_FOREIGN_LAYER);
        descriptor.putArray("urls").add(url);
        root.withArrayProperty("layers").add(descriptor);
        return this;
    }

    ManifestBuilder subject(TestManifest subject) {
        root.set("subject", subject.descriptor());
        return this;
    }

    ManifestBuilder artifactType(String artifactType) {
        root.put("artifactType", artifactType);
        return this;
    }

    ManifestBuilder annotation(String key, String value) {
        root.withObjectProperty("annotations").put(key, value);
        return this;
    }

    TestManifest build() {
        try {
            return new TestManifest(mediaType, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
