package dev.berth.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The registry's connector, which drains on a stop as distribution does: a connection with no request in progress
 * closes within a second, and one with a request in progress keeps the usual idle timeout until the request
 * completes (or {@code http.draintimeout} ends the stop); Jetty then closes it, as it answers nothing persistent
 * once a stop has begun. Jetty alone gives every connection a second's idle timeout when the stop begins, which
 * cuts an upload whose client pauses for a second, or a download whose client reads slowly. Thread-safe.
 */
final class DrainingConnector extends ServerConnector {

    /** Requests in progress per network connection (HTTP/2 runs several on one). */
    private final ConcurrentMap<EndPoint, Integer> inProgress = new ConcurrentHashMap<>();
    /** Jetty's idle timeout for connections once a stop begins: idle ones must not hold the stop up. */
    private final long idleTimeoutWhileStopping;

    DrainingConnector(Server server, ConnectionFactory... factories) {
        super(server, factories);
        idleTimeoutWhileStopping = getShutdownIdleTimeout();
        // the idle timeouts of a stop are set here, connection by connection, not all at once by Jetty
        setShutdownIdleTimeout(-1);
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = super.shutdown();
        for (EndPoint endPoint : getConnectedEndPoints()) {
            if (!inProgress.containsKey(endPoint)) {
                endPoint.setIdleTimeout(idleTimeoutWhileStopping);
            }
        }
        return done;
    }

    /** {@code handler}, telling this connector which connections have a request in progress. */
    Handler tracking(Handler handler) {
        return new Handler.Wrapper(handler) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                EndPoint endPoint = network(request.getConnectionMetaData().getConnection().getEndPoint());
                inProgress.merge(endPoint, 1, Integer::sum);
                boolean handled = false;
                try {
                    handled = super.handle(request, response, Callback.from(callback, () -> finished(endPoint)));
                    return handled;
                } finally {
                    if (!handled) {
                        finished(endPoint);
                    }
                }
            }
        };
    }

    private void finished(EndPoint endPoint) {
        Integer left = inProgress.computeIfPresent(endPoint, (key, count) -> count == 1 ? null : count - 1);
        // a stop that began while this request ran left the connection its usual idle timeout, and an answer
        // already sent did not say the connection would close: now idle, it must not hold the stop up
        if (left == null && isShutdown()) {
            endPoint.setIdleTimeout(idleTimeoutWhileStopping);
        }
    }

    /** The connection as the connector accepted it, beneath TLS. */
    private static EndPoint network(EndPoint endPoint) {
        EndPoint network = endPoint;
        while (network instanceof EndPoint.Wrapper wrapper) {
            network = wrapper.unwrap();
        }
        return network;
    }
}
