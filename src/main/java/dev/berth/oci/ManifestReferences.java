package dev.berth.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a stored manifest points at, read leniently: besides what Berth accepts, Docker schema 1 manifests that
 * distribution may have stored in the same layout ({@code fsLayers[].blobSum}). Whatever holds a reference must
 * know about it, or its target could be collected while still in use.
 *
 * @param blobs     config and layers (including foreign layers, which may also be stored)
 * @param manifests the children of an index
 * @param subject   the manifest this one refers to (OCI 1.1), which keeps it alive
 */
public record ManifestReferences(List<Digest> blobs, List<Digest> manifests, Optional<Digest> subject) {

    public ManifestReferences {
        blobs = List.copyOf(blobs);
        manifests = List.copyOf(manifests);
    }

    /** {@link InvalidManifestException} when the bytes are no manifest of any known schema. */
    public static ManifestReferences of(byte[] stored) {
        JsonNode root = ManifestParser.read(stored);
        if (root.path("schemaVersion").asInt() == 1) {
            return schema1(root);
        }
        Manifest manifest = ManifestParser.parse(stored, root);
        List<Digest> blobs = new ArrayList<>();
        manifest.config().ifPresent(config -> blobs.add(config.digest()));
        manifest.layers().forEach(layer -> blobs.add(layer.digest()));
        return new ManifestReferences(blobs, manifest.manifests().stream().map(Descriptor::digest).toList(),
                manifest.subject().map(Descriptor::digest));
    }

    private static ManifestReferences schema1(JsonNode root) {
        List<Digest> layers = new ArrayList<>();
        for (JsonNode layer : root.path("fsLayers")) {
            try {
                layers.add(Digest.parse(layer.path("blobSum").asText()));
            } catch (InvalidDigestException e) {
                throw new InvalidManifestException("schema 1 manifest has an invalid blobSum: " + e.getMessage());
            }
        }
        return new ManifestReferences(layers, List.of(), Optional.empty());
    }
}
