package dev.berth.http;

import dev.berth.api.Route;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Request;

/**
 * What {@link RegistryHandler} learns while serving a request that the handler around it reports: the route and
 * who called. Kept as a request attribute; used by one request's thread at a time.
 */
final class RequestFacts {

    private static final String ATTRIBUTE = RequestFacts.class.getName();

    private final LongAdder uploadsInProgress;
    private Optional<Route> route = Optional.empty();
    private Optional<String> user = Optional.empty();
    private boolean upload;

    private RequestFacts(LongAdder uploadsInProgress) {
        this.uploadsInProgress = uploadsInProgress;
    }

    /** Attaches new facts to {@code request}, counting its upload, if it turns out to be one, in the adder. */
    static RequestFacts attach(Request request, LongAdder uploadsInProgress) {
        RequestFacts facts = new RequestFacts(uploadsInProgress);
        request.setAttribute(ATTRIBUTE, facts);
        return facts;
    }

    /** The facts of {@code request}, or facts nobody reads when no handler around it asked for them. */
    static RequestFacts of(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof RequestFacts facts ? facts : new RequestFacts(new LongAdder());
    }

    void routed(Route route, String method) {
        this.route = Optional.of(route);
        upload = (route instanceof Route.UploadStart || route instanceof Route.Upload)
                && (method.equals("POST") || method.equals("PATCH") || method.equals("PUT"));
        if (upload) {
            uploadsInProgress.increment();
        }
    }

    /** Who called: known once credentials are checked, whether or not they grant the access asked for. */
    void identified(Optional<String> user) {
        this.user = user;
    }

    /** Called once the response is complete. */
    void finished() {
        if (upload) {
            uploadsInProgress.decrement();
            upload = false;
        }
    }

    Optional<Route> route() {
        return route;
    }

    Optional<String> user() {
        return user;
    }
}
