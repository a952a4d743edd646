package dev.berth.http;

import dev.berth.api.ApiException;
import dev.berth.api.ErrorCode;
import dev.berth.api.Headers;
import dev.berth.api.Route;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidManifestException;
import dev.berth.oci.Reference;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.ManifestContent;
import dev.berth.registry.ManifestTooLargeException;
import dev.berth.registry.ManifestUnknownException;
import dev.berth.registry.Manifests;
import dev.berth.registry.NameUnknownException;
import dev.berth.registry.PushedManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** {@code /v2/<name>/manifests/<reference>}: HEAD, GET, PUT and DELETE. */
final class ManifestHandler {

    /**
     * Heap one manifest push takes per byte of its body at its peak: the body, and the parser's copies of its
     * longest string (an annotation can be most of it) as characters and as the string. Measured: one push of a
     * 4 MiB manifest failed for want of heap with {@code -Xmx28m} and went through with {@code -Xmx32m}.
     */
    private static final int HEAP_PER_BODY_BYTE = 6;
    /** A manifest of the largest size arrives in it at 70 KB/s. */
    static final Duration BODY_TIME = Duration.ofSeconds(60);
    private static final int COPY_BUFFER = 16 * 1024;

    private final Manifests manifests;
    private final MemoryBudget budget;
    private final Duration bodyTime;
    /**
     * Conditional writes of one reference take turns, each checking its condition and writing under the same lock,
     * so that of two clients replacing what they both read with If-Match, one gets 412 (writes without a condition
     * asked for no such guarantee, and take no lock).
     */
    private final ReentrantLock[] conditionalWrites =
            IntStream.range(0, 64).mapToObj(i -> new ReentrantLock()).toArray(ReentrantLock[]::new);

    ManifestHandler(Manifests manifests, MemoryBudget budget, Duration bodyTime) {
        this.manifests = manifests;
        this.budget = budget;
        this.bodyTime = bodyTime;
    }

    void handle(Exchange exchange, RepositoryName name, Reference reference) {
        switch (exchange.method()) {
            case "GET", "HEAD" -> {
                ManifestContent manifest = exchange.isHead() ? manifests.check(name, reference)
                        : manifests.get(name, reference);
                String etag = "\"" + manifest.digest() + "\"";
                exchange.header(Headers.CONTENT_DIGEST, manifest.digest().toString()).header("ETag", etag);
                if (!Preconditions.answered(exchange, etag, manifest.size())) {
                    exchange.happened(() -> ContentEvent.manifest(ContentEvent.Action.PULL, name, manifest.digest(),
                            manifest.mediaType(), manifest.bytes(), tag(reference),
                            exchange.url(new Route.Manifest(name, manifest.digest()).path())));
                    exchange.send(200, manifest.mediaType(), manifest.bytes());
                }
            }
            case "PUT" -> put(exchange, name, reference);
            case "DELETE" -> {
                List<Tag> untagged = conditionally(exchange, name, reference, () -> manifests.delete(name, reference));
                if (reference instanceof Digest digest) {
                    exchange.happened(() -> ContentEvent.deleted(name, digest));
                }
                untagged.forEach(tag -> exchange.happened(() -> ContentEvent.untagged(name, tag)));
                exchange.sendEmpty(202);
            }
            default -> throw new IllegalStateException("not a method of manifests: " + exchange.method());
        }
    }

    private void put(Exchange exchange, RepositoryName name, Reference reference) {
        List<Tag> extraTags = exchange.queryAll("tag").stream().map(Tag::parse).toList();
        long length = exchange.contentLength().orElse(Manifests.MAX_BYTES);
        if (length > Manifests.MAX_BYTES) {
            throw new ManifestTooLargeException(Manifests.MAX_BYTES);
        }
        if (!extraTags.isEmpty() && Preconditions.conditional(exchange)) {
            // a condition names one reference's current manifest; the tags the push also moves have their own
            throw new ApiException(ErrorCode.MALFORMED, "If-Match and If-None-Match apply to one reference: "
                    + "push the tags with conditions one at a time, not with ?tag=");
        }
        PushedManifest pushed;
        byte[] body;
        try (MemoryBudget.Reservation _ = budget.reserve(HEAP_PER_BODY_BYTE * length)) {
            body = readCapped(exchange); // before any lock: a slow client holds up no one else
            pushed = conditionally(exchange, name, reference, () -> manifests.put(name, reference, body,
                    exchange.header("Content-Type").orElse(""), extraTags));
        }
        exchange.location(new Route.Manifest(name, pushed.digest()).path())
                .header(Headers.CONTENT_DIGEST, pushed.digest().toString());
        pushed.subject().ifPresent(subject -> exchange.header(Headers.OCI_SUBJECT, subject.toString()));
        // one event per tag the push set, as distribution tells a push by tag
        List<Optional<Tag>> tagged = Stream.concat(tag(reference).stream(), extraTags.stream()).map(Optional::of)
                .toList();
        String url = exchange.url(new Route.Manifest(name, pushed.digest()).path());
        for (Optional<Tag> tag : tagged.isEmpty() ? List.of(Optional.<Tag>empty()) : tagged) {
            exchange.happened(() -> ContentEvent.manifest(ContentEvent.Action.PUSH, name, pushed.digest(),
                    pushed.mediaType(), ByteBuffer.wrap(body), tag, url));
        }
        exchange.sendEmpty(201);
    }

    private static Optional<Tag> tag(Reference reference) {
        return reference instanceof Tag tag ? Optional.of(tag) : Optional.empty();
    }

    private <T> T conditionally(Exchange exchange, RepositoryName name, Reference reference, Supplier<T> write) {
        if (!Preconditions.conditional(exchange)) {
            return write.get();
        }
        ReentrantLock lock = conditionalWrites[Math.floorMod(Objects.hash(name, reference), conditionalWrites.length)];
        lock.lock();
        try {
            Preconditions.requireForWrite(exchange, current(name, reference));
            return write.get();
        } finally {
            lock.unlock();
        }
    }

    /** The entity tag of the manifest {@code reference} names now, if any. */
    private Optional<String> current(RepositoryName name, Reference reference) {
        try {
            return Optional.of("\"" + manifests.get(name, reference).digest() + "\"");
        } catch (ManifestUnknownException | NameUnknownException e) {
            return Optional.empty();
        }
    }

    /**
     * The body, refused when it is longer than the limit, when it ends early, and when it has not all arrived within
     * the body time of its turn: a client that announces a large manifest and then sends it slowly or not at all
     * holds its share of the budget, and the pushes waiting behind it, only so long.
     */
    private byte[] readCapped(Exchange exchange) {
        long deadline = System.nanoTime() + bodyTime.toNanos();
        try (InputStream in = exchange.body()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream(
                    (int) Math.min(exchange.contentLength().orElse(COPY_BUFFER), Manifests.MAX_BYTES));
            byte[] chunk = new byte[COPY_BUFFER];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                if (body.size() + n > Manifests.MAX_BYTES) {
                    throw new ManifestTooLargeException(Manifests.MAX_BYTES);
                }
                body.write(chunk, 0, n);
                if (System.nanoTime() - deadline > 0) {
                    throw new InvalidManifestException("the manifest body did not arrive within "
                            + bodyTime.toSeconds() + " s");
                }
            }
            return body.toByteArray();
        } catch (IOException e) {
            // a body cut short by the client (or stalled past the idle timeout) is no manifest
            throw new InvalidManifestException("the manifest body could not be read: " + e.getMessage());
        }
    }
}
