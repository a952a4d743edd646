package dev.berth.bench;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP request as the benchmark sends it: method, target (path and query), headers, and optionally a body to
 * send and a buffer to receive the response body into. Built fluently; not thread-safe.
 */
final class Request {

    private final String method;
    private final String target;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private ByteBuffer body;
    private ByteBuffer into;

    private Request(String method, String target) {
        this.method = method;
        this.target = target;
    }

    static Request of(String method, String target) {
        return new Request(method, target);
    }

    Request header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Sends the bytes from the buffer's position to its limit; the buffer is consumed. */
    Request body(ByteBuffer content) {
        this.body = content;
        return this;
    }

    /** Receives the response body at the buffer's position instead of into a new array. */
    Request into(ByteBuffer target) {
        this.into = target;
        return this;
    }

    String method() {
        return method;
    }

    String target() {
        return target;
    }

    Map<String, String> headers() {
        return headers;
    }

    boolean hasBody() {
        return body != null;
    }

    ByteBuffer body() {
        return body;
    }

    boolean hasInto() {
        return into != null;
    }

    ByteBuffer into() {
        return into;
    }
}
