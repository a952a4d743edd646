package dev.berth.bench;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The registry API calls the workloads make (Docker Registry HTTP API v2 / OCI distribution spec), each checked
 * as it returns: a call that answers anything but what the spec promises throws {@link CheckFailedException}.
 * Thread-safe (the tokens it keeps are shared); each call runs on the connection it is given.
 */
final class V2Client {

    private final Authorization authorization;

    V2Client(Authorization authorization) {
        this.authorization = authorization;
    }

    /** A request about {@code repository}, or about none (the base endpoint), with its authorization. */
    Request request(String method, Optional<String> repository, String target) throws IOException {
        Request request = Request.of(method, target);
        authorization.header(repository).ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    private Request request(String method, String repository, String target) throws IOException {
        return request(method, Optional.of(repository), target);
    }

    /**
     * {@code GET /v2/}: 200, at once or, when the registry challenges for Bearer tokens, with a token from its
     * token service, which every later request then carries too.
     */
    void base(HttpConnection connection) throws IOException {
        Response response = connection.exchange(request("GET", Optional.empty(), "/v2/"));
        if (authorization.follow(response)) {
            response = connection.exchange(request("GET", Optional.empty(), "/v2/"));
        }
        Checks.status(response, 200, "GET /v2/");
    }

    /** POST then PUT with the whole blob: the spec's monolithic upload. Consumes the buffer. */
    void pushMonolithic(HttpConnection connection, String repository, ByteBuffer content, Digest digest)
            throws IOException {
        String location = startUpload(connection, repository);
        Response done = connection.exchange(request("PUT", repository, withDigest(location, digest))
                .header("Content-Type", "application/octet-stream")
                .body(content));
        created(done, repository, digest);
    }

    /** POST, a PATCH per chunk with its Content-Range, then a PUT without body. Consumes the buffer. */
    void pushChunked(HttpConnection connection, String repository, ByteBuffer content, int chunkSize, Digest digest)
            throws IOException {
        String location = startUpload(connection, repository);
        long sent = 0;
        while (content.hasRemaining()) {
            int length = Math.min(chunkSize, content.remaining());
            ByteBuffer chunk = content.slice(content.position(), length);
            Response patched = connection.exchange(request("PATCH", repository, location)
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", sent + "-" + (sent + length - 1))
                    .body(chunk));
            Checks.status(patched, 202, "PATCH chunk at " + sent);
            sent += length;
            content.position(content.position() + length);
            String range = Checks.header(patched, "Range", "PATCH chunk");
            if (!range.equals("0-" + (sent - 1))) {
                throw new CheckFailedException("PATCH chunk: Range " + range + " after " + sent + " bytes");
            }
            location = target(Checks.header(patched, "Location", "PATCH chunk"));
        }
        created(connection.exchange(request("PUT", repository, withDigest(location, digest))), repository, digest);
    }

    private String startUpload(HttpConnection connection, String repository) throws IOException {
        Response started = connection.exchange(request("POST", repository, "/v2/" + repository + "/blobs/uploads/"));
        Checks.status(started, 202, "POST upload");
        return target(Checks.header(started, "Location", "POST upload"));
    }

    private static void created(Response done, String repository, Digest digest) {
        Checks.status(done, 201, "PUT upload " + repository);
        Checks.contentDigest(done, digest, "PUT upload");
        Checks.header(done, "Location", "PUT upload");
    }

    /**
     * HEAD a blob just pushed: the repository must serve it at its size (and digest, where the header is given).
     * What a push measured without a pull after it rests on.
     */
    void stored(HttpConnection connection, String repository, Digest digest, long size) throws IOException {
        Response response = connection.exchange(request("HEAD", repository, "/v2/" + repository + "/blobs/" + digest));
        Checks.status(response, 200, "HEAD blob after its push");
        String length = Checks.header(response, "Content-Length", "HEAD blob after its push");
        if (!length.equals(Long.toString(size))) {
            throw new CheckFailedException("HEAD blob after its push: Content-Length " + length + ", expected " + size);
        }
        optionalContentDigest(response, digest, "HEAD blob after its push");
    }

    /** A blob's {@code Docker-Content-Digest} is optional, but must name the blob when it is there. */
    private static void optionalContentDigest(Response response, Digest digest, String what) {
        if (response.header("Docker-Content-Digest").isPresent()) {
            Checks.contentDigest(response, digest, what);
        }
    }

    /** HEAD a blob: whether the repository has it (200) or not (404); anything else fails. */
    boolean hasBlob(HttpConnection connection, String repository, Digest digest) throws IOException {
        Response response = connection.exchange(request("HEAD", repository, "/v2/" + repository + "/blobs/" + digest));
        if (response.status() == 404) {
            return false;
        }
        Checks.status(response, 200, "HEAD blob");
        return true;
    }

    /**
     * GET a blob into {@code into} (at its position, which advances by the blob's size). The content is not hashed
     * here, so a caller timing the transfer can verify it afterwards.
     */
    void pullBlob(HttpConnection connection, String repository, Digest digest, long size, ByteBuffer into)
            throws IOException {
        Response response = connection.exchange(
                request("GET", repository, "/v2/" + repository + "/blobs/" + digest).into(into));
        Checks.status(response, 200, "GET blob");
        optionalContentDigest(response, digest, "GET blob");
        if (response.received() != size) {
            throw new CheckFailedException("GET blob: " + response.received() + " bytes, expected " + size);
        }
    }

    /** GET a blob of {@code size} bytes into {@code scratch} (from its start) and check its digest. */
    void blob(HttpConnection connection, String repository, Digest digest, long size, ByteBuffer scratch)
            throws IOException {
        pullBlob(connection, repository, digest, size, scratch.clear());
        Checks.digest(scratch.flip(), digest, "GET blob " + digest);
    }

    /** PUT a manifest under a tag or digest; the registry must answer with the manifest's digest. */
    void putManifest(HttpConnection connection, String repository, String reference, byte[] manifest,
                     String mediaType) throws IOException {
        Response response = connection.exchange(
                request("PUT", repository, "/v2/" + repository + "/manifests/" + reference)
                        .header("Content-Type", mediaType)
                        .body(ByteBuffer.wrap(manifest)));
        Checks.status(response, 201, "PUT manifest " + repository + ":" + reference);
        Checks.contentDigest(response, Checks.sha256(manifest), "PUT manifest");
    }

    /** HEAD a manifest; it must exist and have {@code expected} as its digest. */
    void headManifest(HttpConnection connection, String repository, String reference, String accept,
                      Digest expected) throws IOException {
        Response response = connection.exchange(
                request("HEAD", repository, "/v2/" + repository + "/manifests/" + reference)
                        .header("Accept", accept));
        Checks.status(response, 200, "HEAD manifest");
        Checks.contentDigest(response, expected, "HEAD manifest");
    }

    /** GET a manifest; its bytes must hash to {@code expected}, and the header must say so too. */
    byte[] manifest(HttpConnection connection, String repository, String reference, String accept, Digest expected)
            throws IOException {
        Response response = connection.exchange(
                request("GET", repository, "/v2/" + repository + "/manifests/" + reference)
                        .header("Accept", accept));
        Checks.status(response, 200, "GET manifest");
        Checks.contentDigest(response, expected, "GET manifest");
        Checks.digest(response.body(), expected, "GET manifest");
        return response.body();
    }

    /** GET the tag list: the raw body, for the caller to check. */
    Response tags(HttpConnection connection, String repository) throws IOException {
        return Checks.status(connection.exchange(request("GET", repository, "/v2/" + repository + "/tags/list")), 200,
                "GET tags/list");
    }

    /** The path and query of a Location header, which may be absolute or relative. */
    static String target(String location) {
        if (location.startsWith("/")) {
            return location;
        }
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw new CheckFailedException("Location is not a URI: " + location);
        }
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    static String withDigest(String location, Digest digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
    }
}
