package dev.berth.notify;

import dev.berth.http.ContentEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * One notification: what was done to content, and the request that did it.
 *
 * @param id        unique to this event
 * @param request   the request that did it, shared by the events of one request
 */
record Event(String id, Instant timestamp, ContentEvent content, Request request) {

    /**
     * The request behind events, as distribution tells it.
     *
     * @param id    unique to the request
     * @param addr  the client's address and port
     * @param host  the host the client addressed
     * @param actor who was authenticated, if anyone
     */
    record Request(String id, String addr, String host, String method, String userAgent, Optional<String> actor) {
    }
}
