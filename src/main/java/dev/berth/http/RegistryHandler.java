package dev.berth.http;

import dev.berth.api.ApiException;
import dev.berth.api.MethodNotAllowedException;
import dev.berth.registry.DeleteDisabledException;
import dev.berth.api.ErrorCode;
import dev.berth.api.Headers;
import dev.berth.api.Route;
import dev.berth.api.RouteParser;
import dev.berth.auth.Access;
import dev.berth.auth.AccessController;
import dev.berth.auth.AccessDeniedException;
import dev.berth.auth.Action;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.Principal;
import dev.berth.auth.token.TokenIssuer;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.Registry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
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
    /** How much of a refused request's unread body is read and dropped so the error reaches the client. */
    private static final long MAX_DISCARDED_BODY = 16L * 1024 * 1024;

    private final AccessController accessController;
    private final BlobHandler blobs;
    private final UploadHandler uploads;
    private final ManifestHandler manifests;
    private final ListingHandler listings;
    private final Optional<TokenHandler> tokens;

    public RegistryHandler(Registry registry, AccessController accessController) {
        this(registry, accessController, Optional.empty());
    }

    /** A registry that is also its own token service, at {@link dev.berth.api.RouteParser#TOKEN_PATH}. */
    public RegistryHandler(Registry registry, AccessController accessController, TokenIssuer tokenIssuer) {
        this(registry, accessController, Optional.of(new TokenHandler(tokenIssuer)));
    }

    private RegistryHandler(Registry registry, AccessController accessController, Optional<TokenHandler> tokens) {
        this(registry, accessController, tokens, MemoryBudget.halfOfTheHeap(), ManifestHandler.BODY_TIME);
    }

    /** With a budget of its own for manifest bodies and their time to arrive, for tests of how they are shared. */
    RegistryHandler(Registry registry, AccessController accessController, MemoryBudget manifestBodies,
                    Duration manifestBodyTime) {
        this(registry, accessController, Optional.empty(), manifestBodies, manifestBodyTime);
    }

    private RegistryHandler(Registry registry, AccessController accessController, Optional<TokenHandler> tokens,
                            MemoryBudget manifestBodies, Duration manifestBodyTime) {
        this.accessController = accessController;
        this.blobs = new BlobHandler(registry.blobs());
        this.uploads = new UploadHandler(registry.uploads());
        this.manifests = new ManifestHandler(registry.manifests(), manifestBodies, manifestBodyTime);
        this.listings = new ListingHandler(registry);
        this.tokens = tokens;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response);
        exchange.header(Headers.API_VERSION, Headers.API_VERSION_VALUE);
        RequestFacts facts = RequestFacts.of(request);
        try {
            Route route = RouteParser.parse(Request.getPathInContext(request));
            facts.routed(route, exchange.method());
            AuthRequest credentials = credentials(exchange);
            // the token endpoint is where clients trade credentials for a token: it checks them itself
            Principal principal = route instanceof Route.Token
                    ? Principal.NOBODY
                    : authorize(credentials, requiredAccess(route, exchange), route::readMethods);
            facts.identified(principal.user());
            if (exchange.method().equals("OPTIONS")) {
                options(route, exchange);
            } else {
                dispatch(route, exchange, principal, credentials);
            }
            callback.succeeded();
        } catch (Throwable failure) {
            if (failure instanceof AccessDeniedException denied) {
                facts.identified(Optional.of(denied.user()));
            }
            fail(exchange, failure, callback);
        }
        return true;
    }

    private static AuthRequest credentials(Exchange exchange) {
        // failed logins are counted by the connection's own peer, which no forwarded header can change
        return new AuthRequest(exchange.header("Authorization"),
                exchange.peer().map(InetAddress::getHostAddress).orElse("unknown"),
                exchange.baseUrl() + exchange.publicPath(""));
    }

    /**
     * Checks a request outside the registry API (administration) with the same access control; a read-only registry
     * answers none of its methods.
     */
    Principal authorize(Exchange exchange, List<Access> requested) {
        return authorize(credentials(exchange), requested, () -> "");
    }

    /** {@code readMethods}: those of the endpoint's methods a read-only registry still answers. */
    private Principal authorize(AuthRequest credentials, List<Access> requested, Supplier<String> readMethods) {
        try {
            return accessController.authorize(credentials, requested);
        } catch (ReadOnlyAccess.WriteRefusedException e) {
            throw new MethodNotAllowedException(e.getMessage(), readMethods.get());
        }
    }

    private void dispatch(Route route, Exchange exchange, Principal principal, AuthRequest credentials) {
        requireEndpoint(route);
        if (!route.answers(exchange.method())) {
            throw methodNotAllowed(exchange, route.methods());
        }
        try {
            // tests of each type rather than a switch over them, whose linking would cost a server's first answer
            // (Route's comment)
            if (route instanceof Route.Base) {
                listings.base(exchange);
            } else if (route instanceof Route.Catalog) {
                listings.catalog(exchange, principal.permissions());
            } else if (route instanceof Route.TagList tags) {
                listings.tags(exchange, tags.name());
            } else if (route instanceof Route.Referrers referrers) {
                listings.referrers(exchange, referrers.name(), referrers.digest());
            } else if (route instanceof Route.Blob blob) {
                blobs.handle(exchange, blob.name(), blob.digest());
            } else if (route instanceof Route.UploadStart start) {
                uploads.start(exchange, start.name(), principal.permissions());
            } else if (route instanceof Route.Upload upload) {
                uploads.handle(exchange, upload.name(), upload.id());
            } else if (route instanceof Route.Manifest manifest) {
                manifests.handle(exchange, manifest.name(), manifest.reference());
            } else if (route instanceof Route.Token) {
                tokens.orElseThrow().issue(exchange, credentials);
            } else {
                throw new IllegalStateException("no handler for the route " + route);
            }
        } catch (DeleteDisabledException e) {
            // while deletes are disabled, DELETE is no method of the endpoint
            throw new MethodNotAllowedException(e.getMessage(), route.methodsOtherThan("DELETE"));
        }
    }

    /** A registry that is no token service has no token endpoint. */
    private void requireEndpoint(Route route) {
        if (route instanceof Route.Token && tokens.isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "this registry is not a token service");
        }
    }

    /**
     * Answers OPTIONS, a browser's CORS preflight among others, as distribution does: 200 with the route's methods
     * in {@code Allow} ({@code http.headers} adds the CORS headers) and no body.
     */
    private void options(Route route, Exchange exchange) {
        requireEndpoint(route);
        exchange.header("Allow", route.methods() + ", OPTIONS");
        exchange.sendEmpty(200);
    }

    /**
     * What a method on a route needs, in token-scope terms: reads pull; writes push and pull, as in
     * distribution; deletes delete; a mount also pulls from its source; OPTIONS only what {@code /v2/} needs.
     */
    static List<Access> requiredAccess(Route route, Exchange exchange) {
        if (exchange.method().equals("OPTIONS")) {
            return List.of();
        }
        if (route instanceof Route.Catalog) {
            return List.of(Access.catalog());
        }
        Optional<String> repository = route.repository().map(Object::toString);
        if (repository.isEmpty()) {
            return List.of();
        }
        Set<Action> actions = switch (exchange.method()) {
            case "GET", "HEAD" -> Set.of(Action.PULL);
            case "DELETE" -> route instanceof Route.Upload ? Set.of(Action.PUSH) : Set.of(Action.DELETE);
            default -> Set.of(Action.PULL, Action.PUSH);
        };
        Access access = Access.repository(repository.get(), actions);
        Optional<String> mountSource = route instanceof Route.UploadStart
                ? exchange.query("from").filter(from -> exchange.query("mount").isPresent() && !from.isEmpty())
                : Optional.empty();
        return mountSource
                .map(from -> List.of(access, Access.repository(RepositoryName.parse(from).value(), Set.of(Action.PULL))))
                .orElse(List.of(access));
    }

    static void fail(Exchange exchange, Throwable failure, Callback callback) {
        Optional<ErrorCode> code = ErrorResponses.codeOf(failure);
        if (exchange.committed()) {
            // the status line is gone, most often because the client went away mid-download: cut the connection
            LOG.debug("{} aborted after the response began: {}", exchange.method(), failure.toString());
            callback.failed(failure);
            return;
        }
        if (code.isEmpty()) {
            LOG.error("{} failed", exchange.method(), failure);
        }
        try {
            exchange.resetForError();
            // An error is often found before the body is read. Jetty then drops the connection after the
            // response: announce it, or the client reuses a dying connection; and drain the body before, or the
            // close resets the connection, which can destroy the response before the client reads it.
            boolean unreadBody = exchange.hasBody();
            if (unreadBody) {
                exchange.header("Connection", "close");
            }
            ErrorResponses.write(exchange, code.orElse(ErrorCode.UNKNOWN), failure);
            if (unreadBody) {
                exchange.discardBody(MAX_DISCARDED_BODY);
            }
            callback.succeeded();
        } catch (Throwable writeFailure) {
            callback.failed(writeFailure);
        }
    }

    /** Refuses a method the route does not have; {@code allowed} lists those it has, as {@code Allow} does. */
    static MethodNotAllowedException methodNotAllowed(Exchange exchange, String allowed) {
        return new MethodNotAllowedException("method " + exchange.method() + " not allowed here", allowed);
    }
}
