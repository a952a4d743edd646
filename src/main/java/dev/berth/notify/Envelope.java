package dev.berth.notify;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.berth.http.ContentEvent;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import dev.berth.oci.Tag;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The body of a notification request: {@code {"events": [...]}} as distribution writes it, one event per envelope,
 * its fields in the order of distribution's. Fields an event lacks are left out, as distribution omits them;
 * {@code length} repeats {@code size}, which older listeners read.
 */
final class Envelope {

    /** The media type of the body; distribution 2.8 names it so. */
    static final String MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";

    private Envelope() {
    }

    /** The envelope of one event. */
    static byte[] of(Event event, Source source) {
        return Json.object(json -> {
            json.writeArrayFieldStart("events");
            json.writeStartObject();
            json.writeStringField("id", event.id());
            json.writeStringField("timestamp", event.timestamp().toString());
            json.writeStringField("action", event.content().action().value());
            target(json, event);
            request(json, event.request());
            json.writeObjectFieldStart("source");
            json.writeStringField("addr", source.addr());
            json.writeStringField("instanceID", source.instanceId());
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
        });
    }

    private static void target(JsonGenerator json, Event event) throws IOException {
        ContentEvent content = event.content();
        json.writeObjectFieldStart("target");
        optional(json, "mediaType", content.mediaType());
        if (content.size() > 0) {
            json.writeNumberField("size", content.size());
        }
        optional(json, "digest", content.digest());
        if (content.size() > 0) {
            json.writeNumberField("length", content.size());
        }
        json.writeStringField("repository", content.repository().toString());
        optional(json, "fromRepository", content.from());
        optional(json, "url", content.url());
        optional(json, "tag", content.tag().map(Tag::value));
        if (!event.references().isEmpty()) {
            json.writeArrayFieldStart("references");
            for (Descriptor reference : event.references()) {
                descriptor(json, reference);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void descriptor(JsonGenerator json, Descriptor descriptor) throws IOException {
        json.writeStartObject();
        json.writeStringField("mediaType", descriptor.mediaType());
        json.writeNumberField("size", descriptor.size());
        json.writeStringField("digest", descriptor.digest().toString());
        if (!descriptor.urls().isEmpty()) {
            json.writeArrayFieldStart("urls");
            for (String url : descriptor.urls()) {
                json.writeString(url);
            }
            json.writeEndArray();
        }
        if (!descriptor.annotations().isEmpty()) {
            json.writeObjectFieldStart("annotations");
            // sorted, as Go writes a map
            for (Map.Entry<String, String> annotation : new TreeMap<>(descriptor.annotations()).entrySet()) {
                json.writeStringField(annotation.getKey(), annotation.getValue());
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void request(JsonGenerator json, Event.Request request) throws IOException {
        json.writeObjectFieldStart("request");
        json.writeStringField("id", request.id());
        json.writeStringField("addr", request.addr());
        if (!request.host().isEmpty()) {
            json.writeStringField("host", request.host());
        }
        json.writeStringField("method", request.method());
        json.writeStringField("useragent", request.userAgent());
        json.writeEndObject();
        json.writeObjectFieldStart("actor");
        optional(json, "name", request.actor());
        json.writeEndObject();
    }

    /** {@code name} with the value's text, or nothing when there is no value. */
    private static void optional(JsonGenerator json, String name, Optional<?> value) throws IOException {
        if (value.isPresent()) {
            json.writeStringField(name, value.get().toString());
        }
    }
}
