package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ManifestReferences;
import dev.berth.oci.MediaType;
import dev.berth.oci.Reference;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Pushes small images through a registry's own API, as a client would, for tests of what storage holds after. */
public record TestImages(Registry registry) {

    public static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";
    public static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";

    /** Uploads {@code content} into the repository and returns its descriptor. */
    public Descriptor blob(String repository, String mediaType, String content) {
        RepositoryName name = RepositoryName.parse(repository);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        UploadStatus upload = registry.uploads().start(name);
        registry.uploads().complete(name, upload.id(), Optional.of(Chunk.streamed(new ByteArrayInputStream(bytes))),
                Digest.sha256(bytes));
        return new Descriptor(mediaType, Digest.sha256(bytes), bytes.length);
    }

    public Descriptor layer(String repository, String content) {
        return blob(repository, LAYER_TYPE, content);
    }

    /** An OCI image of a fresh config and the given layers, pushed under {@code reference} (a tag or "digest"). */
    public Descriptor image(String repository, String reference, String config, Descriptor... layers) {
        return image(repository, reference, blob(repository, CONFIG_TYPE, config), Optional.empty(), layers);
    }

    /** An artifact whose subject is {@code subject}, pushed by digest, as signatures and SBOMs are. */
    public Descriptor referrer(String repository, Descriptor subject, String content) {
        return image(repository, "digest", blob(repository, "application/vnd.example.sig+json", "{}"),
                Optional.of(subject), layer(repository, content));
    }

    /** An OCI index of {@code children}, pushed under {@code reference}. */
    public Descriptor index(String repository, String reference, Descriptor... children) {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":["
                + List.of(children).stream().map(TestImages::json).collect(Collectors.joining(",")) + "]}";
        return put(repository, reference, MediaType.OCI_INDEX, body);
    }

    /** Reads back the manifest and, recursively, everything it references, checking every digest. */
    public void assertPullsCompletely(String repository, String reference) {
        RepositoryName name = RepositoryName.parse(repository);
        ManifestContent manifest = registry.manifests().get(name,
                reference.contains(":") ? Digest.parse(reference) : Tag.parse(reference));
        byte[] bytes = new byte[manifest.size()];
        manifest.bytes().get(bytes);
        assertThat(Digest.sha256(bytes)).isEqualTo(manifest.digest());
        ManifestReferences refs = ManifestReferences.of(bytes);
        for (Digest blob : refs.blobs()) {
            registry.blobs().stat(name, blob);
            try (InputStream in = registry.blobs().open(blob, 0)) {
                assertThat(Digest.sha256(in.readAllBytes())).isEqualTo(blob);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        refs.manifests().forEach(child -> assertPullsCompletely(repository, child.toString()));
    }

    private Descriptor image(String repository, String reference, Descriptor config, Optional<Descriptor> subject,
                             Descriptor... layers) {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"config\":"
                + json(config) + ",\"layers\":["
                + List.of(layers).stream().map(TestImages::json).collect(Collectors.joining(",")) + "]"
                + subject.map(s -> ",\"subject\":" + json(s)).orElse("") + "}";
        return put(repository, reference, MediaType.OCI_MANIFEST, body);
    }

    private Descriptor put(String repository, String reference, String mediaType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        Reference ref = reference.equals("digest") ? digest : Tag.parse(reference);
        registry.manifests().put(RepositoryName.parse(repository), ref, bytes, mediaType, List.of());
        return new Descriptor(mediaType, digest, bytes.length);
    }

    private static String json(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }
}
