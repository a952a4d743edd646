package dev.berth.notify;

import dev.berth.http.ContentEvent;
import dev.berth.http.RequestObserver;
import dev.berth.http.RequestRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * distribution's notifications: every push, pull, mount and delete a request did becomes an event, posted to each
 * endpoint that wants it, one event per request, in the order they happened. Decorates the server as an observer
 * of its requests; nothing in the core knows of it. The request's thread only queues its events: each endpoint's
 * sender writes and posts them.
 */
public final class Notifications implements RequestObserver {

    private final List<Endpoint> endpoints;
    private final boolean includeReferences;
    private final Clock clock;

    /** {@code includeReferences}: whether manifest events list what the manifest references. */
    public Notifications(List<Endpoint> endpoints, boolean includeReferences, Clock clock) {
        this.endpoints = List.copyOf(endpoints);
        this.includeReferences = includeReferences;
        this.clock = clock;
    }

    @Override
    public boolean readsEvents() {
        return true;
    }

    @Override
    public void completed(RequestRecord record) {
        if (record.events().isEmpty()) {
            return;
        }
        // ip:port as distribution tells a client, or the address alone that a proxy named
        String address = record.remotePort().isEmpty() ? record.remoteAddress()
                : (record.remoteAddress().contains(":") ? "[" + record.remoteAddress() + "]" : record.remoteAddress())
                        + ":" + record.remotePort().getAsInt();
        Event.Request request = new Event.Request(UUID.randomUUID().toString(), address, record.host(),
                record.method(), record.userAgent(), record.user());
        for (ContentEvent content : record.events()) {
            // the manifest's bytes only where its references are asked for: they could keep 4 MiB alive each
            Event event = new Event(UUID.randomUUID().toString(), clock.instant(),
                    includeReferences ? content : content.withoutManifest(), request);
            for (Endpoint endpoint : endpoints) {
                if (endpoint.wants(content)) {
                    endpoint.offer(event);
                }
            }
        }
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Sends the events waiting, for up to {@code wait} in all; drops those left then, with a warning. */
    public void close(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Endpoint endpoint : endpoints) {
            endpoint.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }
}
