package dev.berth.http;

import dev.berth.api.ByteRange;
import dev.berth.api.Headers;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.BlobContent;
import dev.berth.registry.Blobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
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
                RegistryHandler.deleting(() -> blobs.delete(name, digest), "GET, HEAD");
                exchange.sendEmpty(202);
            }
            default -> throw RegistryHandler.methodNotAllowed(exchange, "GET, HEAD, DELETE");
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
        if (Preconditions.answered(exchange, etag)) {
            return;
        }
        if (exchange.isHead()) {
            exchange.sendHeaders(200, blob.size());
            return;
        }
        Optional<ByteRange> range = ByteRange.parse(Preconditions.range(exchange, etag).orElse(null), blob.size());
        long offset = range.map(ByteRange::first).orElse(0L);
        long length = range.map(ByteRange::length).orElse(blob.size());
        range.ifPresent(r -> exchange.header("Content-Range", r.contentRange(blob.size())));
        int status = range.isPresent() ? 206 : 200;
        Optional<FileChannel> file = blobs.file(digest);
        if (file.isPresent()) {
            try (FileChannel channel = file.get()) {
                exchange.sendFile(status, channel, offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try (InputStream in = blobs.open(digest, offset)) {
            exchange.stream(status, in, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
