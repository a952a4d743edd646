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
 * of its requests; nothing in the core knows of it.
 */
public final class Notifications implements RequestObserver {

    private final List<Endpoint> endpoints;
    private final boolean includeReferences;
    private final Envelope.Source source;
    private final Clock clock;

    /**
     * @param includeReferences whether manifest events list what the manifest references
     * @param sourceAddress     this registry as events name it, {@code host:port}
     */
    public Notifications(List<Endpoint> endpoints, boolean includeReferences, String sourceAddress, Clock clock) {
        this.endpoints = List.copyOf(endpoints);
        this.includeReferences = includeReferences;
        this.source = new Envelope.Source(sourceAddress, UUID.randomUUID().toString());
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
        String address = record.remoteAddress().contains(":") ? "[" + record.remoteAddress() + "]"
                : record.remoteAddress();
        Event.Request request = new Event.Request(UUID.randomUUID().toString(), address + ":" + record.remotePort(),
                record.host(), record.method(), record.userAgent(), record.user());
        for (ContentEvent content : record.events()) {
            byte[] envelope = null;
            for (Endpoint endpoint : endpoints) {
                if (endpoint.wants(content)) {
                    if (envelope == null) {
                        envelope = Envelope.of(new Event(UUID.randomUUID().toString(), clock.instant(), content,
                                request), source, includeReferences);
                    }
                    endpoint.offer(envelope);
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
