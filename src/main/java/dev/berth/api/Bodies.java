package dev.berth.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import dev.berth.oci.MediaType;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies of errors and of the listing, token and administration endpoints, written field by field: a
 * tag listing is served tens of thousands of times a second, and building a tree of it first doubled what each
 * answer allocated.
 */
public final class Bodies {

    private Bodies() {
    }

    /**
     * The spec's error envelope, {@code {"errors": [{"code": ..., "message": ..., "detail": ...}]}}, the detail
     * left out when there is none. Every pushed blob begins with a HEAD that gets one.
     */
    public static byte[] error(ErrorCode code, String detail) {
        return Json.object(json -> {
            json.writeArrayFieldStart("errors");
            json.writeStartObject();
            json.writeStringField("code", code.code());
            json.writeStringField("message", code.message());
            if (detail != null && !detail.isEmpty()) {
                json.writeStringField("detail", detail);
            }
            json.writeEndObject();
            json.writeEndArray();
        });
    }

    /** {@code {"name": ..., "tags": [...]}}. */
    public static byte[] tagList(String name, List<String> tags) {
        return Json.object(json -> {
            json.writeStringField("name", name);
            stringArray(json, "tags", tags);
        });
    }

    /** {@code {"repositories": [...]}}. */
    public static byte[] catalog(List<String> repositories) {
        return Json.object(json -> stringArray(json, "repositories", repositories));
    }

    /** distribution's {@code /debug/health}: each failing check's name and error; {@code {}} when all pass. */
    public static byte[] healthChecks(Map<String, String> failures) {
        return Json.object(json -> {
            for (Map.Entry<String, String> failure : failures.entrySet()) {
                json.writeStringField(failure.getKey(), failure.getValue());
            }
        });
    }

    /** An OCI image index listing referrers (OCI distribution spec 1.1, "Listing Referrers"). */
    public static byte[] referrers(List<Descriptor> descriptors) {
        return Json.object(json -> {
            json.writeNumberField("schemaVersion", 2);
            json.writeStringField("mediaType", MediaType.OCI_INDEX);
            json.writeArrayFieldStart("manifests");
            for (Descriptor d : descriptors) {
                json.writeStartObject();
                json.writeStringField("mediaType", d.mediaType());
                json.writeStringField("digest", d.digest().toString());
                json.writeNumberField("size", d.size());
                if (d.artifactType().isPresent()) {
                    json.writeStringField("artifactType", d.artifactType().get());
                }
                if (!d.annotations().isEmpty()) {
                    json.writeObjectFieldStart("annotations");
                    for (Map.Entry<String, String> annotation : d.annotations().entrySet()) {
                        json.writeStringField(annotation.getKey(), annotation.getValue());
                    }
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    /**
     * A token response (spec/auth/token.md): the token under both {@code token} and {@code access_token}, as
     * older and OAuth 2.0 clients each expect one of them.
     */
    public static byte[] token(String token, long expiresInSeconds, String issuedAt) {
        return Json.object(json -> {
            json.writeStringField("token", token);
            json.writeStringField("access_token", token);
            json.writeNumberField("expires_in", expiresInSeconds);
            json.writeStringField("issued_at", issuedAt);
        });
    }

    /** A flat JSON object of numbers and strings, in the map's order. */
    public static byte[] object(Map<String, ?> fields) {
        return Json.object(json -> {
            for (Map.Entry<String, ?> field : fields.entrySet()) {
                json.writeObjectField(field.getKey(), field.getValue());
            }
        });
    }

    private static void stringArray(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
