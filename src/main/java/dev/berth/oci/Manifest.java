package dev.berth.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the registry needs to know of a manifest: its type, the content it references and its subject.
 * The bytes themselves are kept apart and never re-serialized, so the digest stays that of what was pushed.
 *
 * @param config    the image configuration (image manifests only)
 * @param layers    the layers (image manifests) — empty for an index
 * @param manifests the children (indexes) — empty for an image manifest
 */
public record Manifest(String mediaType, Optional<Descriptor> config, List<Descriptor> layers,
                       List<Descriptor> manifests, Optional<Descriptor> subject, Optional<String> artifactType,
                       Map<String, String> annotations) {

    public Manifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }

    public boolean isIndex() {
        return MediaType.isIndex(mediaType);
    }

    /** The artifact type a referrers listing shows: {@code artifactType}, else the config's media type. */
    public Optional<String> effectiveArtifactType() {
        return artifactType.or(() -> config.map(Descriptor::mediaType));
    }
}
