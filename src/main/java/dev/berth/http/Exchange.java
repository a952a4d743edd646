package dev.berth.http;

import dev.berth.api.Headers;
import dev.berth.api.MultipartByteRanges;
import dev.berth.registry.Body;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Fields;

/**
 * One request and its response, in the terms the resource handlers need, so that they read as straight-line
 * code and only this class and {@link RegistryHandler} touch Jetty's request and response types.
 */
final class Exchange {

    private static final int COPY_BUFFER = 64 * 1024;

    private final Request request;
    private final Response response;
    private Fields query;

    Exchange(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    String method() {
        return request.getMethod();
    }

    boolean isHead() {
        return "HEAD".equals(request.getMethod());
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    /** The declared body length, or empty when the body is chunked or absent without a length. */
    OptionalLong contentLength() {
        long length = request.getLength();
        return length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
    }

    /** Whether the request carries a body: a positive length, or chunked transfer encoding. */
    boolean hasBody() {
        long length = request.getLength();
        return length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(queryFields().getValue(name));
    }

    List<String> queryAll(String name) {
        List<String> values = queryFields().getValues(name);
        return values == null ? List.of() : values;
    }

    private Fields queryFields() {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return query;
    }

    InputStream body() {
        return Content.Source.asInputStream(request);
    }

    /**
     * The body as Jetty's own buffers, each handed over as it arrives and released after: no copy through an
     * InputStream. Blocks (the virtual thread) while waiting for data.
     */
    Body bodyBuffers() {
        return sink -> {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    try (Blocker.Runnable demand = Blocker.runnable()) {
                        request.demand(demand);
                        demand.block();
                    }
                    continue;
                }
                try {
                    if (Content.Chunk.isFailure(chunk)) {
                        Throwable failure = chunk.getFailure();
                        throw failure instanceof IOException io ? io : new IOException(failure);
                    }
                    if (chunk.hasRemaining()) {
                        sink.accept(chunk.getByteBuffer());
                    }
                } finally {
                    chunk.release();
                }
                if (chunk.isLast()) {
                    return;
                }
            }
        };
    }

    /**
     * Reads and drops what is left of the request body, at most {@code limit} bytes, after an error was answered
     * without reading it. Closing a connection with unread input makes TCP reset it, and the reset can destroy the
     * response before the client has read it.
     */
    void discardBody(long limit) {
        byte[] buffer = new byte[COPY_BUFFER];
        try (InputStream in = body()) {
            for (long left = limit; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException e) {
            // the client stopped sending: there is nothing left to discard
        }
    }

    /** {@code scheme://host[:port]} as the client addressed this server, for absolute Location headers. */
    String baseUrl() {
        HttpURI uri = request.getHttpURI();
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    Exchange status(int status) {
        response.setStatus(status);
        return this;
    }

    Exchange header(String name, String value) {
        response.getHeaders().put(name, value);
        return this;
    }

    /**
     * {@code path} as clients address it: under the path of {@code http.host} when that is set, else under the
     * prefix the registry is served at, if any.
     */
    String publicPath(String path) {
        return request.getAttribute(PublicUrls.HOST_PATH) instanceof String hostPath ? hostPath + path
                : servedPath(path);
    }

    /** {@code path} as this request addressed the server: under the prefix the registry is served at, if any. */
    String servedPath(String path) {
        String context = Request.getContextPath(request);
        return context == null || context.equals("/") ? path : context + path;
    }

    /**
     * The address of the peer this connection comes from, whatever forwarded headers claim; empty once the
     * connection is gone (an HTTP/2 stream can still be handled after its connection closed).
     */
    Optional<InetAddress> peer() {
        return request.getConnectionMetaData().getConnection().getEndPoint().getRemoteSocketAddress()
                instanceof InetSocketAddress address ? Optional.of(address.getAddress()) : Optional.empty();
    }

    /** {@code path} as an absolute URL, as clients address this registry. */
    String url(String path) {
        return baseUrl() + publicPath(path);
    }

    /** Tells the request's observers, once it is answered, what it did to content, if any reads it. */
    void happened(Supplier<ContentEvent> event) {
        RequestFacts.of(request).happened(event);
    }

    /** A Location header for {@code path}: absolute, unless the server hands out relative URLs. */
    Exchange location(String path) {
        boolean relative = Boolean.TRUE.equals(request.getAttribute(PublicUrls.RELATIVE));
        return header("Location", relative ? publicPath(path) : url(path));
    }

    boolean committed() {
        return response.isCommitted();
    }

    /** Clears headers set for a response that turned into an error, keeping the API version header. */
    void resetForError() {
        response.reset();
        header(Headers.API_VERSION, Headers.API_VERSION_VALUE);
    }

    /** Sends a complete body, or only its headers to a HEAD request. */
    void send(int status, String contentType, byte[] body) {
        send(status, contentType, ByteBuffer.wrap(body));
    }

    /** Sends the rest of {@code body} in one write with the headers, or only the headers to a HEAD request. */
    void send(int status, String contentType, ByteBuffer body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        if (!isHead()) {
            BodySender.write(response, true, body);
        }
    }

    /**
     * A 304: no body, with the Content-Length of the content not sent, as RFC 9110 allows; without one Jetty would
     * add a length of 0, which a cache in front could take for the content's.
     */
    void sendNotModified(long contentLength) {
        response.setStatus(304);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, contentLength);
    }

    /** Sends a status with no body. */
    void sendEmpty(int status) {
        sendHeaders(status, 0);
    }

    /** Answers a HEAD request: the length of the body a GET would have, and no body. */
    void sendHeaders(int status, long contentLength) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, contentLength);
    }

    /**
     * Sends {@code length} bytes of a file from {@code offset} as the body (see {@link BodySender#file}); the caller
     * has set the headers.
     */
    void sendFile(int status, FileChannel file, long offset, long length) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        BodySender.file(request, response, file, offset, length);
    }

    /** Sends ranges of a file as a 206 {@code multipart/byteranges} body (see {@link BodySender#fileRanges}). */
    void sendFileRanges(FileChannel file, MultipartByteRanges multipart) {
        response.setStatus(206);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, multipart.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, multipart.contentLength());
        BodySender.fileRanges(request, response, file, multipart);
    }

    /** Streams {@code length} bytes from {@code in} as the body; the caller has set the headers. */
    void stream(int status, InputStream in, long length) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        BodySender.stream(response, in, length);
    }
}
