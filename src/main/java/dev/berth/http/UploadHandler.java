package dev.berth.http;

import dev.berth.api.ChunkRange;
import dev.berth.api.Headers;
import dev.berth.api.Route;
import dev.berth.auth.Permissions;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.UploadId;
import dev.berth.registry.BlobContent;
import dev.berth.registry.Chunk;
import dev.berth.registry.UploadStatus;
import dev.berth.registry.Uploads;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code /v2/<name>/blobs/uploads/[<id>]}: starting uploads (monolithic, session, or mount), PATCH chunks,
 * status, completion and cancellation.
 */
final class UploadHandler {

    private final Uploads uploads;

    UploadHandler(Uploads uploads) {
        this.uploads = uploads;
    }

    /**
     * A mount without a source may link any blob in the registry, so it is done only for callers who may pull
     * everything; others get the spec's fallback, a plain upload session.
     */
    void start(Exchange exchange, RepositoryName name, Permissions permissions) {
        Optional<String> mount = exchange.query("mount");
        if (mount.isPresent()) {
            Digest digest = Digest.parse(mount.get());
            Optional<RepositoryName> from = exchange.query("from").filter(f -> !f.isEmpty()).map(RepositoryName::parse);
            Optional<BlobContent> mounted = from.isPresent() || permissions.allowsEverything()
                    ? uploads.mount(name, digest, from)
                    : Optional.empty();
            if (mounted.isPresent()) {
                exchange.happened(() -> ContentEvent.mounted(name, digest, mounted.get().size(), from,
                        exchange.url(new Route.Blob(name, digest).path())));
                created(exchange, name, mounted.get());
                return;
            }
            // the spec's fallback: a plain upload session the client can use instead
        }
        Optional<String> digest = exchange.query("digest");
        if (digest.isPresent() && mount.isEmpty()) {
            pushed(exchange, name, uploads.upload(name, chunk(exchange), Digest.parse(digest.get())));
            return;
        }
        UploadStatus session = uploads.start(name);
        accepted(exchange, session);
    }

    void handle(Exchange exchange, RepositoryName name, UploadId id) {
        switch (exchange.method()) {
            case "GET", "HEAD" -> { // HEAD as distribution answers it, though the spec names GET only
                describe(exchange, uploads.status(name, id));
                exchange.sendEmpty(204);
            }
            case "PATCH" -> accepted(exchange, uploads.append(name, id, chunk(exchange)));
            case "PUT" -> {
                Digest expected = Digest.parse(exchange.query("digest")
                        .orElseThrow(() -> new dev.berth.oci.InvalidDigestException("the digest parameter is missing")));
                Optional<Chunk> last = exchange.hasBody() ? Optional.of(chunk(exchange)) : Optional.empty();
                pushed(exchange, name, uploads.complete(name, id, last, expected));
            }
            case "DELETE" -> {
                uploads.cancel(name, id);
                exchange.sendEmpty(204);
            }
            default -> throw new IllegalStateException("not a method of uploads: " + exchange.method());
        }
    }

    private static Chunk chunk(Exchange exchange) {
        Optional<ChunkRange> range = ChunkRange.parse(exchange.header("Content-Range").orElse(null));
        OptionalLong length = range.isPresent() ? OptionalLong.of(range.get().length()) : exchange.contentLength();
        OptionalLong start = range.isPresent() ? OptionalLong.of(range.get().start()) : OptionalLong.empty();
        return new Chunk(exchange.bodyBuffers(), start, length);
    }

    private static void accepted(Exchange exchange, UploadStatus status) {
        describe(exchange, status);
        exchange.sendEmpty(202);
    }

    /** The headers that tell a client where its upload session is and how much it holds. */
    static void describe(Exchange exchange, UploadStatus status) {
        exchange.location(new Route.Upload(status.repository(), status.id()).path())
                .header("Range", ChunkRange.uploaded(status.size()))
                .header(Headers.UPLOAD_UUID, status.id().value());
    }

    private static void pushed(Exchange exchange, RepositoryName name, BlobContent blob) {
        exchange.happened(() -> ContentEvent.blob(ContentEvent.Action.PUSH, name, blob.digest(), blob.size(),
                exchange.url(new Route.Blob(name, blob.digest()).path())));
        created(exchange, name, blob);
    }

    private static void created(Exchange exchange, RepositoryName name, BlobContent blob) {
        exchange.location(new Route.Blob(name, blob.digest()).path())
                .header(Headers.CONTENT_DIGEST, blob.digest().toString());
        exchange.sendEmpty(201);
    }
}
