package dev.berth.notify;

import dev.berth.http.ContentEvent;
import dev.berth.http.OccasionalLog;
import dev.berth.http.RequestObserver;
import dev.berth.http.RequestRecord;
import dev.berth.oci.Descriptor;
import dev.berth.oci.InvalidValueException;
import dev.berth.oci.Manifest;
import dev.berth.oci.ManifestParser;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * distribution's notifications: every push, pull, mount and delete a successful request did becomes an event,
 * posted to each endpoint that wants it, one event per request to it, in the order they happened. Decorates the
 * server as an observer of its requests; nothing in the core knows of it. The request's thread makes the events
 * (and lists a manifest's references once for all endpoints); each endpoint's sender writes and posts them.
 */
public final class Notifications implements RequestObserver {

    /**
     * The largest manifest whose references an event lists: parsing takes several times its size in heap, and
     * real images and indexes are a few KiB.
     */
    static final int MAX_REFERENCED_MANIFEST = 512 * 1024;
    /** What an event holds besides its strings and references, about. */
    private static final int EVENT_BYTES = 512;
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    private final List<Endpoint> endpoints;
    private final boolean includeReferences;
    private final Clock clock;
    /** One manifest parsed at a time, so that pulls of large ones at once cannot take the heap together. */
    private final Semaphore parsing = new Semaphore(1);
    private final OccasionalLog unreferenced = new OccasionalLog();

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
        // what a request did before it failed is not done (a blob that went missing while being opened)
        if (record.events().isEmpty() || record.status() >= 400) {
            return;
        }
        // ip:port as distribution tells a client, or the address alone that a proxy named
        String address = record.remotePort().isEmpty() ? record.remoteAddress()
                : (record.remoteAddress().contains(":") ? "[" + record.remoteAddress() + "]" : record.remoteAddress())
                        + ":" + record.remotePort().getAsInt();
        Event.Request request = new Event.Request(UUID.randomUUID().toString(), address, record.host(),
                record.method(), record.userAgent(), record.user());
        for (ContentEvent content : record.events()) {
            List<Endpoint> wanting = endpoints.stream().filter(endpoint -> endpoint.wants(content)).toList();
            if (wanting.isEmpty()) {
                continue;
            }
            Optional<ByteBuffer> manifest = content.manifest().filter(bytes -> includeReferences);
            List<Descriptor> references = manifest.map(this::references).orElse(List.of());
            Event event = new Event(UUID.randomUUID().toString(), clock.instant(), content.withoutManifest(), request,
                    references, heapBytes(record, content,
                            references.isEmpty() ? 0 : manifest.map(ByteBuffer::remaining).orElse(0)));
            wanting.forEach(endpoint -> endpoint.offer(event));
        }
    }

    /**
     * About how much heap an event holds: its strings (the client's user agent and host among them, up to the
     * request head's 16 KiB) and, counted by the manifest they came from, its references.
     */
    static long heapBytes(RequestRecord record, ContentEvent content, int referencedManifestBytes) {
        return EVENT_BYTES + 2L * (record.userAgent().length() + record.host().length()
                + content.url().map(String::length).orElse(0)) + referencedManifestBytes;
    }

    /**
     * What a manifest references, in distribution's order: an image's config and layers, an index's manifests (its
     * subject is not among them); none for bytes that do not parse as a manifest now (an old schema), or for a
     * manifest too large to parse here.
     */
    private List<Descriptor> references(ByteBuffer manifest) {
        if (manifest.remaining() > MAX_REFERENCED_MANIFEST) {
            unreferenced.occurred(more -> LOG.warn("a manifest of {} bytes is larger than notifications list the "
                    + "references of ({} bytes): its events list none{}", manifest.remaining(),
                    MAX_REFERENCED_MANIFEST, more));
            return List.of();
        }
        parsing.acquireUninterruptibly();
        try {
            byte[] bytes = new byte[manifest.remaining()];
            manifest.duplicate().get(bytes);
            Manifest parsed = ManifestParser.parse(bytes);
            return Stream.of(parsed.config().stream(), parsed.layers().stream(), parsed.manifests().stream())
                    .flatMap(s -> s).toList();
        } catch (InvalidValueException e) {
            return List.of();
        } finally {
            parsing.release();
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
