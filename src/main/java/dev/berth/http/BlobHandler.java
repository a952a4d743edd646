package dev.berth.http;

import dev.berth.api.ByteRange;
import dev.berth.api.Headers;
import dev.berth.api.MultipartByteRanges;
import dev.berth.api.Route;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.BlobContent;
import dev.berth.registry.Blobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;

/** {@code /v2/<name>/blobs/<digest>}: HEAD, GET (with ranges) and DELETE. */
final class BlobHandler {

    private final Blobs blobs;

    BlobHandler(Blobs blobs) {
        this.blobs = blobs;
    }

    void handle(Exchange exchange, RepositoryName name, Digest digest) {
        switch (exchange.method()) {
            case "GET", "HEAD" -> get(exchange, name, digest);
            case "DELETE" -> {
                blobs.delete(name, digest);
                exchange.happened(() -> ContentEvent.deleted(name, digest));
                exchange.sendEmpty(202);
            }
            default -> throw new IllegalStateException("not a method of blobs: " + exchange.method());
        }
    }

    private void get(Exchange exchange, RepositoryName name, Digest digest) {
        // a HEAD is how a pushing client decides to skip an upload: it claims the blob
        BlobContent blob = exchange.isHead() ? blobs.check(name, digest) : blobs.stat(name, digest);
        String etag = "\"" + digest + "\"";
        exchange.header(Headers.CONTENT_DIGEST, digest.toString())
                .header("Content-Type", MediaType.OCTET_STREAM)
                .header("Accept-Ranges", "bytes")
                .header("ETag", etag)
                .header("Cache-Control", "max-age=31536000");
        if (Preconditions.answered(exchange, etag, blob.size())) {
            return;
        }
        if (exchange.isHead()) {
            pulled(exchange, name, blob);
            exchange.sendHeaders(200, blob.size());
            return;
        }
        Optional<URI> elsewhere = blobs.downloadUrl(digest);
        if (elsewhere.isPresent()) {
            // as distribution on S3: the client fetches the bytes (any range of them) from the storage itself
            pulled(exchange, name, blob);
            exchange.header("Location", elsewhere.get().toString()).sendEmpty(307);
            return;
        }
        List<ByteRange> ranges = ByteRange.parse(Preconditions.range(exchange, etag).orElse(null), blob.size());
        pulled(exchange, name, blob);
        Optional<FileChannel> file = blobs.file(digest);
        // one range, or the whole blob; storage without files answers several ranges with it, as RFC 9110 allows
        ByteRange range = ranges.size() == 1 ? ranges.getFirst() : new ByteRange(0, blob.size() - 1);
        int status = ranges.size() == 1 ? 206 : 200;
        if (status == 206) {
            exchange.header("Content-Range", range.contentRange(blob.size()));
        }
        if (file.isPresent()) {
            try (FileChannel channel = file.get()) {
                if (ranges.size() > 1) {
                    exchange.sendFileRanges(channel, new MultipartByteRanges(ranges, blob.size()));
                } else {
                    exchange.sendFile(status, channel, range.first(), range.length());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try (InputStream in = blobs.open(digest, range.first())) {
            exchange.stream(status, in, range.length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pulled(Exchange exchange, RepositoryName name, BlobContent blob) {
        exchange.happened(() -> ContentEvent.blob(ContentEvent.Action.PULL, name, blob.digest(), blob.size(),
                exchange.url(new Route.Blob(name, blob.digest()).path())));
    }
}
