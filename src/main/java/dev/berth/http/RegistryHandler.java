package dev.berth.http;

import dev.berth.api.ApiException;
import dev.berth.api.ErrorCode;
import dev.berth.api.Headers;
import dev.berth.api.Route;
import dev.berth.api.RouteParser;
import dev.berth.auth.Access;
import dev.berth.auth.AccessController;
import dev.berth.auth.Action;
import dev.berth.registry.Registry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's only Jetty handler: parses the route, asks the access controller, dispatches to the resource
 * handler, and turns every failure into the spec's error envelope. Runs on a virtual thread, so handlers block.
 */
public final class RegistryHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);

    private final AccessController accessController;
    private final BlobHandler blobs;
    private final UploadHandler uploads;
    private final ManifestHandler manifests;
    private final ListingHandler listings;

    public RegistryHandler(Registry registry, AccessController accessController) {
        this.accessController = accessController;
        this.blobs = new BlobHandler(registry.blobs());
        this.uploads = new UploadHandler(registry.uploads());
        this.manifests = new ManifestHandler(registry.manifests());
        this.listings = new ListingHandler(registry);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response);
        exchange.header(Headers.API_VERSION, Headers.API_VERSION_VALUE);
        try {
            Route route = RouteParser.parse(Request.getPathInContext(request));
            accessController.authorize(exchange.header("Authorization"), requiredAccess(route, exchange.method()));
            dispatch(route, exchange);
            callback.succeeded();
        } catch (Throwable failure) {
            fail(exchange, failure, callback);
        }
        return true;
    }

    private void dispatch(Route route, Exchange exchange) {
        switch (route) {
            case Route.Base base -> listings.base(exchange);
            case Route.Catalog catalog -> listings.catalog(exchange);
            case Route.TagList tags -> listings.tags(exchange, tags.name());
            case Route.Referrers referrers -> listings.referrers(exchange, referrers.name(), referrers.digest());
            case Route.Blob blob -> blobs.handle(exchange, blob.name(), blob.digest());
            case Route.UploadStart start -> uploads.start(exchange, start.name());
            case Route.Upload upload -> uploads.handle(exchange, upload.name(), upload.id());
            case Route.Manifest manifest -> manifests.handle(exchange, manifest.name(), manifest.reference());
        }
    }

    /** What a method on a route needs, in token-scope terms (reads pull; writes push; deletes delete). */
    static List<Access> requiredAccess(Route route, String method) {
        if (route instanceof Route.Catalog) {
            return List.of(Access.catalog());
        }
        Optional<String> repository = route.repository().map(Object::toString);
        if (repository.isEmpty()) {
            return List.of();
        }
        Set<Action> actions = switch (method) {
            case "GET", "HEAD" -> Set.of(Action.PULL);
            case "DELETE" -> route instanceof Route.Upload ? Set.of(Action.PUSH) : Set.of(Action.DELETE);
            default -> Set.of(Action.PULL, Action.PUSH);
        };
        return List.of(Access.repository(repository.get(), actions));
    }

    static void fail(Exchange exchange, Throwable failure, Callback callback) {
        Optional<ErrorCode> code = ErrorResponses.codeOf(failure);
        if (code.isEmpty()) {
            LOG.error("{} failed", exchange.method(), failure);
        }
        if (exchange.committed()) {
            // the status line is gone: all that is left is to cut the connection
            callback.failed(failure);
            return;
        }
        try {
            exchange.resetForError();
            ErrorResponses.write(exchange, code.orElse(ErrorCode.UNKNOWN), failure);
            callback.succeeded();
        } catch (Throwable writeFailure) {
            callback.failed(writeFailure);
        }
    }

    /** Refuses a method the route does not have. */
    static ApiException methodNotAllowed(Exchange exchange) {
        return new ApiException(ErrorCode.UNSUPPORTED, "method " + exchange.method() + " not allowed here");
    }
}
