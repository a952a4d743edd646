package dev.berth.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.MediaType;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the listing, token and administration endpoints. */
public final class Bodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Bodies() {
    }

    /** {@code {"name": ..., "tags": [...]}}. */
    public static byte[] tagList(String name, List<String> tags) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", name);
        ArrayNode array = root.putArray("tags");
        tags.forEach(array::add);
        return write(root);
    }

    /** {@code {"repositories": [...]}}. */
    public static byte[] catalog(List<String> repositories) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("repositories");
        repositories.forEach(array::add);
        return write(root);
    }

    /** distribution's {@code /debug/health}: each failing check's name and error; {@code {}} when all pass. */
    public static byte[] healthChecks(Map<String, String> failures) {
        ObjectNode root = JSON.createObjectNode();
        failures.forEach(root::put);
        return write(root);
    }

    /** An OCI image index listing referrers (OCI distribution spec 1.1, "Listing Referrers"). */
    public static byte[] referrers(List<Descriptor> descriptors) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaType.OCI_INDEX);
        ArrayNode manifests = root.putArray("manifests");
        for (Descriptor d : descriptors) {
            ObjectNode node = manifests.addObject();
            node.put("mediaType", d.mediaType());
            node.put("digest", d.digest().toString());
            node.put("size", d.size());
            d.artifactType().ifPresent(type -> node.put("artifactType", type));
            if (!d.annotations().isEmpty()) {
                ObjectNode annotations = node.putObject("annotations");
                d.annotations().forEach(annotations::put);
            }
        }
        return write(root);
    }

    /**
     * A token response (spec/auth/token.md): the token under both {@code token} and {@code access_token}, as
     * older and OAuth 2.0 clients each expect one of them.
     */
    public static byte[] token(String token, long expiresInSeconds, String issuedAt) {
        ObjectNode root = JSON.createObjectNode();
        root.put("token", token);
        root.put("access_token", token);
        root.put("expires_in", expiresInSeconds);
        root.put("issued_at", issuedAt);
        return write(root);
    }

    /** A flat JSON object of numbers and strings, in the map's order. */
    public static byte[] object(Map<String, ?> fields) {
        ObjectNode root = JSON.createObjectNode();
        fields.forEach((name, value) -> root.set(name, JSON.valueToTree(value)));
        return write(root);
    }

    private static byte[] write(ObjectNode root) {
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
