package dev.berth.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.http.ContentEvent;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import java.util.TreeMap;

/**
 * The body of a notification request: {@code {"events": [...]}} as distribution writes it, one event per envelope.
 * Fields an event lacks are left out, as distribution omits them; {@code length} repeats {@code size}, which older
 * listeners read.
 */
final class Envelope {

    /** The media type of the body; distribution 2.8 names it so. */
    static final String MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";

    private Envelope() {
    }

    private static void descriptor(ObjectNode json, Descriptor descriptor) {
        json.put("mediaType", descriptor.mediaType()).put("size", descriptor.size())
                .put("digest", descriptor.digest().toString());
        if (!descriptor.urls().isEmpty()) {
            descriptor.urls().forEach(json.putArray("urls")::add);
        }
        if (!descriptor.annotations().isEmpty()) {
            ObjectNode annotations = json.putObject("annotations");
            new TreeMap<>(descriptor.annotations()).forEach(annotations::put); // sorted, as Go writes a map
        }
    }

    /** The envelope of one event. */
    static byte[] of(Event event, Source source) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        ObjectNode json = envelope.putArray("events").addObject();
        ContentEvent content = event.content();
        json.put("id", event.id()).put("timestamp", event.timestamp().toString())
                .put("action", content.action().value());
        ObjectNode target = json.putObject("target");
        content.mediaType().ifPresent(type -> target.put("mediaType", type));
        if (content.size() > 0) {
            target.put("size", content.size());
        }
        content.digest().ifPresent(digest -> target.put("digest", digest.toString()));
        if (content.size() > 0) {
            target.put("length", content.size());
        }
        target.put("repository", content.repository().toString());
        content.from().ifPresent(from -> target.put("fromRepository", from.toString()));
        content.url().ifPresent(url -> target.put("url", url));
        content.tag().ifPresent(tag -> target.put("tag", tag.value()));
        if (!event.references().isEmpty()) {
            ArrayNode references = target.putArray("references");
            event.references().forEach(reference -> descriptor(references.addObject(), reference));
        }
        Event.Request request = event.request();
        ObjectNode requestJson = json.putObject("request").put("id", request.id()).put("addr", request.addr());
        if (!request.host().isEmpty()) {
            requestJson.put("host", request.host());
        }
        requestJson.put("method", request.method()).put("useragent", request.userAgent());
        ObjectNode actor = json.putObject("actor");
        request.actor().ifPresent(name -> actor.put("name", name));
        json.putObject("source").put("addr", source.addr()).put("instanceID", source.instanceId());
        try {
            return Json.mapper().writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event tree is always writable", e);
        }
    }
}
