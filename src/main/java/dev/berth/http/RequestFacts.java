package dev.berth.http;

import dev.berth.api.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;

/**
 * What {@link RegistryHandler} learns while serving a request that the handler around it reports: the route, who
 * called, and what was done to content. Kept as a request attribute; used by one request's thread at a time.
 */
final class RequestFacts {

    private static final String ATTRIBUTE = RequestFacts.class.getName();

    private final LongAdder uploadsInProgress;
    private final boolean eventsRead;
    private Optional<Route> route = Optional.empty();
    private Optional<String> user = Optional.empty();
    private boolean upload;
    private List<ContentEvent> events = List.of();

    private RequestFacts(LongAdder uploadsInProgress, boolean eventsRead) {
        this.uploadsInProgress = uploadsInProgress;
        this.eventsRead = eventsRead;
    }

    /**
     * Attaches new facts to {@code request}, counting its upload, if it turns out to be one, in the adder, and
     * keeping what it does to content if {@code eventsRead}.
     */
    static RequestFacts attach(Request request, LongAdder uploadsInProgress, boolean eventsRead) {
        RequestFacts facts = new RequestFacts(uploadsInProgress, eventsRead);
        request.setAttribute(ATTRIBUTE, facts);
        return facts;
    }

    /** The facts of {@code request}, or facts nobody reads when no handler around it asked for them. */
    static RequestFacts of(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof RequestFacts facts ? facts
                : new RequestFacts(new LongAdder(), false);
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

    void happened(Supplier<ContentEvent> event) {
        if (!eventsRead) {
            return;
        }
        if (events.isEmpty()) {
            events = new ArrayList<>(1);
        }
        events.add(event.get());
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

    List<ContentEvent> events() {
        return events;
    }
}
