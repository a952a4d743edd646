package dev.berth.notify;

import dev.berth.http.ContentEvent;
import dev.berth.oci.Descriptor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One notification: what was done to content, and the request that did it.
 *
 * @param id         unique to this event
 * @param content    what was done, without the manifest's bytes
 * @param request    the request that did it, shared by the events of one request
 * @param references what the manifest references, where {@code events.includereferences} asks for it
 * @param heapBytes  about how much heap the event holds while it waits: what bounds the endpoints' queues
 */
record Event(String id, Instant timestamp, ContentEvent content, Request request, List<Descriptor> references,
             long heapBytes) {

    Event {
        references = List.copyOf(references);
    }

    /**
     * The request behind events, as distribution tells it.
     *
     * @param id    unique to the request
     * @param addr  the client's address and port, or the address alone that a proxy named
     * @param host  the host the client sent, or empty
     * @param actor who was authenticated, if anyone
     */
    record Request(String id, String addr, String host, String method, String userAgent, Optional<String> actor) {
    }
}
