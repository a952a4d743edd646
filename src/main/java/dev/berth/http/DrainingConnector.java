package dev.berth.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's connector, which closes connections with no request in progress within a second when it needs
 * them gone: on a stop, and while it is crowded.
 *
 * <p>It drains on a stop as distribution does: a connection with no request in progress closes within a second,
 * and one with a request in progress keeps the usual idle timeout until the request completes (or
 * {@code http.draintimeout} ends the stop); Jetty then closes it, as it answers nothing persistent once a stop has
 * begun. Jetty alone gives every connection a second's idle timeout when the stop begins, which cuts an upload
 * whose client pauses for a second, or a download whose client reads slowly.
 *
 * <p>Its connections are limited (they hold heap), and clients beyond the limit wait to be accepted. So from three
 * quarters of the limit until fewer than half are open, idle connections, and new ones until their first request,
 * get the same second instead of the usual 30: clients that only hold connections open, whether many keep-alive
 * clients or a deliberate flood, cannot keep others waiting for long. Thread-safe.
 */
final class DrainingConnector extends ServerConnector {

    private static final Logger LOG = LoggerFactory.getLogger(DrainingConnector.class);

    /** Requests in progress per network connection (HTTP/2 runs several on one). */
    private final ConcurrentMap<EndPoint, Integer> inProgress = new ConcurrentHashMap<>();
    /** Jetty's idle timeout for connections once a stop begins, used for idle ones that must go. */
    private final long shortIdleTimeout;
    private final AtomicBoolean crowded = new AtomicBoolean();
    private final OccasionalLog crowds = new OccasionalLog();
    private int limit;
    private int crowdedFrom = Integer.MAX_VALUE;
    private int calmBelow;

    DrainingConnector(Server server, ConnectionFactory... factories) {
        super(server, factories);
        shortIdleTimeout = getShutdownIdleTimeout();
        // the idle timeouts of a stop are set here, connection by connection, not all at once by Jetty
        setShutdownIdleTimeout(-1);
    }

    /** Accepts at most {@code connections} at once. Called before the server starts. */
    void limit(int connections) {
        getServer().addBean(new NetworkConnectionLimit(connections, this));
        limit = connections;
        crowdedFrom = connections * 3 / 4;
        calmBelow = connections / 2;
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = super.shutdown();
        getConnectedEndPoints().forEach(this::shortenIfIdle);
        return done;
    }

    @Override
    protected void onEndPointOpened(EndPoint endPoint) {
        super.onEndPointOpened(endPoint);
        if (crowded.get()) {
            shortenIfIdle(endPoint);
        } else if (getConnectedEndPoints().size() >= crowdedFrom && crowded.compareAndSet(false, true)) {
            int open = getConnectedEndPoints().size();
            crowds.occurred(more -> LOG.warn("{} connections open, {} at most: idle ones are closed after {} ms "
                    + "until fewer than {} are open{}", open, limit, shortIdleTimeout, calmBelow, more));
            getConnectedEndPoints().forEach(this::shortenIfIdle);
        }
    }

    @Override
    protected void onEndPointClosed(EndPoint endPoint) {
        super.onEndPointClosed(endPoint);
        if (crowded.get() && getConnectedEndPoints().size() < calmBelow) {
            crowded.set(false);
        }
    }

    /** {@code handler}, telling this connector which connections have a request in progress. */
    Handler tracking(Handler handler) {
        return new Handler.Wrapper(handler) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                EndPoint endPoint = network(request.getConnectionMetaData().getConnection().getEndPoint());
                boolean first = inProgress.merge(endPoint, 1, Integer::sum) == 1;
                if (first && endPoint.getIdleTimeout() != getIdleTimeout()) {
                    endPoint.setIdleTimeout(getIdleTimeout()); // shortened while it was idle
                }
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
        if (left == null && (isShutdown() || crowded.get())) {
            shortenIfIdle(endPoint);
        }
    }

    private void shortenIfIdle(EndPoint endPoint) {
        if (!inProgress.containsKey(endPoint)) {
            endPoint.setIdleTimeout(shortIdleTimeout);
            // a request that began meanwhile found the usual timeout and kept it: it gets it back
            if (inProgress.containsKey(endPoint)) {
                endPoint.setIdleTimeout(getIdleTimeout());
            }
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
