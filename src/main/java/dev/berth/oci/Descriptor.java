package dev.berth.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A reference to content: its media type, digest and size, and the optional fields the registry looks at. */
public record Descriptor(String mediaType, Digest digest, long size, List<String> urls,
                         Map<String, String> annotations, Optional<String> artifactType) {

    public Descriptor {
        urls = List.copyOf(urls);
        annotations = Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, List.of(), Map.of(), Optional.empty());
    }
}
