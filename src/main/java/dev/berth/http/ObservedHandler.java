package dev.berth.http;

import dev.berth.api.Route;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures every request the registry serves (bytes each way, duration, status, route, caller and what it did to
 * content) and tells the {@link RequestObserver}s once its response is complete. Also counts the uploads in progress.
 */
final class ObservedHandler extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(ObservedHandler.class);

    private final List<RequestObserver> observers;
    private final boolean eventsRead;
    private final LongAdder uploadsInProgress = new LongAdder();

    ObservedHandler(Handler registry, List<RequestObserver> observers) {
        super(registry);
        this.observers = List.copyOf(observers);
        this.eventsRead = observers.stream().anyMatch(RequestObserver::readsEvents);
    }

    /** Blob upload requests (POST, PATCH, PUT) being received now. */
    long uploadsInProgress() {
        return uploadsInProgress.sum();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        AtomicLong bytesIn = new AtomicLong();
        AtomicLong bytesOut = new AtomicLong();
        RequestFacts facts = RequestFacts.attach(request, uploadsInProgress, eventsRead);
        Request counted = new Request.Wrapper(request) {
            @Override
            public Content.Chunk read() {
                Content.Chunk chunk = super.read();
                if (chunk != null) {
                    bytesIn.addAndGet(chunk.remaining());
                }
                return chunk;
            }
        };
        Response countedResponse = new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback writeCallback) {
                if (content != null) {
                    bytesOut.addAndGet(content.remaining());
                }
                super.write(last, content, writeCallback);
            }
        };
        Callback done = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                report(request, response, facts, bytesIn.get(), bytesOut.get());
                super.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                report(request, response, facts, bytesIn.get(), bytesOut.get());
                super.failed(failure);
            }
        };
        return super.handle(counted, countedResponse, done);
    }

    /** The client's port: that of the connection, unless a proxy's forwarded headers named another client. */
    private static OptionalInt clientPort(Request request) {
        SocketAddress claimed = request.getConnectionMetaData().getRemoteSocketAddress();
        SocketAddress peer = request.getConnectionMetaData().getConnection().getEndPoint().getRemoteSocketAddress();
        return Objects.equals(claimed, peer) ? OptionalInt.of(Request.getRemotePort(request)) : OptionalInt.empty();
    }

    /**
     * The host the client sent ({@code Host}, or HTTP/2's authority), before forwarded headers or {@code http.host}
     * gave the request another; empty when it sent none.
     */
    private static String host(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host != null) {
            return host;
        }
        return request.getConnectionMetaData().getHttpVersion().getVersion() >= 20
                ? Objects.requireNonNullElse(request.getHttpURI().getAuthority(), "") : "";
    }

    private void report(Request request, Response response, RequestFacts facts, long in, long out) {
        facts.finished();
        RequestRecord record = new RequestRecord(request.getMethod(),
                facts.route().map(Route::template).orElse(RequestRecord.UNMATCHED),
                facts.route().flatMap(Route::repository).map(Object::toString), response.getStatus(), in, out,
                Duration.ofNanos(System.nanoTime() - request.getBeginNanoTime()), facts.user(),
                Request.getRemoteAddr(request), clientPort(request), host(request),
                Objects.requireNonNullElse(request.getHeaders().get(HttpHeader.USER_AGENT), ""), facts.events());
        for (RequestObserver observer : observers) {
            try {
                observer.completed(record);
            } catch (RuntimeException e) {
                LOG.warn("observing a request failed", e);
            }
        }
    }
}
