package dev.berth.oci;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the registry-relevant parts of a manifest body. The media type comes from the body's
 * {@code mediaType}; when the body has none (OCI allows that) from the Content-Type it was pushed with,
 * and when neither names a manifest type, from the body's shape. A declared type that contradicts the body is
 * refused, and so are Docker schema 1 manifests, which Berth does not serve.
 */
public final class ManifestParser {

    private ManifestParser() {
    }

    /**
     * Jackson also reads UTF-16 and UTF-32 and skips a byte order mark, but the bytes are served as they were
     * pushed, and clients (Go's decoder in docker, containerd and skopeo) read only UTF-8 without one. Any other
     * encoding of JSON puts zero bytes around its ASCII punctuation, and valid UTF-8 JSON has none.
     */
    private static void requireUtf8(byte[] body) {
        if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
            throw new InvalidManifestException("manifest starts with a byte order mark: send UTF-8 without one");
        }
        for (byte b : body) {
            if (b == 0) {
                throw new InvalidManifestException("manifest is not UTF-8 JSON: it holds a zero byte");
            }
        }
    }

    /** Parses stored bytes, whose type is known only from the body. */
    public static Manifest parse(byte[] body) {
        return parse(body, "");
    }

    /**
     * The media type to serve stored bytes with. Lenient, since the bytes were accepted when pushed (perhaps
     * by another registry writing the same layout, schema 1 included).
     */
    public static String storedMediaType(byte[] body) {
        // streamed, top-level fields only: a manifest's values (a 4 MiB annotation) are skipped, never built
        String mediaType = null;
        boolean schema1 = false;
        boolean signatures = false;
        boolean manifests = false;
        try (JsonParser parser = Json.FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return MediaType.OCI_MANIFEST;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    // a repeated field counts as its last value
                    case "mediaType" -> mediaType = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "schemaVersion" -> schema1 = value.isScalarValue() && parser.getValueAsInt() == 1;
                    case "signatures" -> signatures = true;
                    case "manifests" -> manifests = true;
                    default -> { }
                }
                parser.skipChildren();
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                return MediaType.OCI_MANIFEST;
            }
        } catch (java.io.IOException e) {
            return MediaType.OCI_MANIFEST;
        }
        if (mediaType != null) {
            return mediaType;
        }
        if (schema1) {
            return signatures ? MediaType.DOCKER_SCHEMA1_SIGNED : MediaType.DOCKER_SCHEMA1;
        }
        return manifests ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
    }

    public static Manifest parse(byte[] body, String contentType) {
        requireUtf8(body);
        return parse(read(body), contentType);
    }

    /** As {@link #parse(byte[])}, for stored bytes whose tree {@link #read} has already made. */
    static Manifest parse(byte[] body, JsonNode root) {
        requireUtf8(body);
        return parse(root, "");
    }

    /** The bytes' tree, for {@link #parse(byte[], JsonNode)}; {@link InvalidManifestException} when not JSON. */
    static JsonNode read(byte[] body) {
        try {
            // one value and nothing after it: clients decode the bytes served as one JSON value
            return Json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException("manifest is not valid JSON");
        } catch (java.io.IOException e) {
            throw new InvalidManifestException("manifest cannot be read");
        }
    }

    private static Manifest parse(JsonNode root, String contentType) {
        if (!root.isObject()) {
            throw new InvalidManifestException("manifest is not a JSON object");
        }
        String declared = MediaType.essence(contentType);
        JsonNode schemaVersion = root.get("schemaVersion");
        if (MediaType.isSchema1(declared) || (schemaVersion != null && schemaVersion.asInt() == 1)) {
            throw new InvalidManifestException(
                    "Docker schema 1 manifests are not supported: push the image as schema 2 or OCI");
        }
        if (schemaVersion == null || !schemaVersion.isInt() || schemaVersion.asInt() != 2) {
            throw new InvalidManifestException("schemaVersion must be 2");
        }
        String mediaType = mediaTypeOf(root, declared);
        Optional<Descriptor> subject = optionalDescriptor(root, "subject");
        Optional<String> artifactType = artifactType(root);
        Map<String, String> annotations = annotations(root);
        if (MediaType.isIndex(mediaType)) {
            return new Manifest(mediaType, Optional.empty(), List.of(), descriptors(root, "manifests", true),
                    subject, artifactType, annotations);
        }
        Descriptor config = optionalDescriptor(root, "config")
                .orElseThrow(() -> new InvalidManifestException("image manifest has no config"));
        return new Manifest(mediaType, Optional.of(config), descriptors(root, "layers", false),
                List.of(), subject, artifactType, annotations);
    }

    private static String mediaTypeOf(JsonNode root, String declared) {
        Optional<String> inBody = text(root, "mediaType");
        if (inBody.isPresent()) {
            String type = inBody.get();
            if (!MediaType.isManifest(type)) {
                throw new InvalidManifestException("unsupported manifest media type: " + type);
            }
            if (MediaType.isManifest(declared) && !declared.equals(type)) {
                throw new InvalidManifestException(
                        "Content-Type " + declared + " does not match the manifest's mediaType " + type);
            }
            return type;
        }
        if (MediaType.isManifest(declared)) {
            return declared;
        }
        // OCI manifests may omit mediaType; their shape tells which they are.
        return root.has("manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
    }

    private static List<Descriptor> descriptors(JsonNode root, String field, boolean required) {
        JsonNode array = root.get(field);
        if (array == null || array.isNull()) {
            if (required) {
                throw new InvalidManifestException("manifest has no " + field);
            }
            return List.of();
        }
        if (!array.isArray()) {
            throw new InvalidManifestException(field + " must be an array");
        }
        List<Descriptor> result = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            result.add(descriptor(node, field));
        }
        return result;
    }

    private static Optional<Descriptor> optionalDescriptor(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(descriptor(node, field));
    }

    private static Descriptor descriptor(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new InvalidManifestException(field + " entries must be descriptors");
        }
        String mediaType = text(node, "mediaType")
                .orElseThrow(() -> new InvalidManifestException(field + " descriptor has no mediaType"));
        Digest digest;
        try {
            digest = Digest.parse(text(node, "digest")
                    .orElseThrow(() -> new InvalidManifestException(field + " descriptor has no digest")));
        } catch (InvalidDigestException e) {
            throw new InvalidManifestException(field + " descriptor: " + e.getMessage());
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
            throw new InvalidManifestException(field + " descriptor has no valid size");
        }
        return new Descriptor(mediaType, digest, size.asLong(), urls(node), annotations(node),
                artifactType(node));
    }

    /** An empty artifactType counts as none: a referrers listing then falls back as for a missing one. */
    private static Optional<String> artifactType(JsonNode node) {
        return text(node, "artifactType").filter(type -> !type.isEmpty());
    }

    private static List<String> urls(JsonNode node) {
        JsonNode array = node.get("urls");
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new InvalidManifestException("urls must be an array of strings");
        }
        List<String> urls = new ArrayList<>(array.size());
        for (JsonNode url : array) {
            if (!url.isTextual()) {
                throw new InvalidManifestException("urls must be an array of strings");
            }
            urls.add(url.asText());
        }
        return urls;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidManifestException(field + " must be a string");
        }
        return Optional.of(value.asText());
    }

    /** A map of strings, as the image spec says and clients decode it: anything else would fail them. */
    private static Map<String, String> annotations(JsonNode node) {
        JsonNode value = node.get("annotations");
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new InvalidManifestException("annotations must be a map of strings");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new InvalidManifestException("annotation " + entry.getKey() + " must be a string");
            }
            result.put(entry.getKey(), entry.getValue().asText());
        }
        return result;
    }
}
