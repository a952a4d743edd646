package dev.berth.http;

import dev.berth.api.ApiException;
import dev.berth.api.Bodies;
import dev.berth.api.ErrorCode;
import dev.berth.api.MethodNotAllowedException;
import dev.berth.auth.Access;
import dev.berth.auth.Principal;
import dev.berth.gc.BackgroundCollection;
import dev.berth.gc.GcReport;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.DeleteDisabledException;
import dev.berth.registry.Registry;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Berth's administration endpoints, beside the registry API it wraps:
 * {@code POST /admin/gc} collects garbage now and answers what it deleted;
 * {@code DELETE /admin/repositories/<name>} deletes a whole repository.
 * They need the {@link Access#admin()} access (administrators of the access rules, or tokens granting it); with
 * no authentication configured, only clients on the loopback interface may call them, not through a proxy.
 */
public final class AdminHandler extends Handler.Wrapper {

    static final String PREFIX = "/admin/";
    private static final String REPOSITORIES = PREFIX + "repositories/";
    private static final List<String> FORWARDING_HEADERS = List.of("X-Forwarded-For", "X-Real-IP", "Forwarded",
            "X-Forwarded-Host");

    private final RegistryHandler registryHandler;
    private final Registry registry;
    private final BackgroundCollection collection;

    public AdminHandler(RegistryHandler registryHandler, Registry registry, BackgroundCollection collection) {
        super(registryHandler);
        this.registryHandler = registryHandler;
        this.registry = registry;
        this.collection = collection;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(PREFIX)) {
            return super.handle(request, response, callback);
        }
        Exchange exchange = new Exchange(request, response);
        try {
            Principal principal = registryHandler.authorize(exchange, List.of(Access.admin()));
            if (principal.user().isEmpty() && !local(request, exchange)) {
                throw new ApiException(ErrorCode.DENIED, "without authentication, administration is open to local "
                        + "clients only");
            }
            dispatch(exchange, path);
            callback.succeeded();
        } catch (Throwable failure) {
            RegistryHandler.fail(exchange, failure, callback);
        }
        return true;
    }

    /**
     * Whether the client is on this machine: the connection's own peer is (what an {@code X-Forwarded-For} header
     * claims is not evidence), and no proxy says it forwarded the request for someone else.
     */
    private static boolean local(Request request, Exchange exchange) {
        return exchange.peer().filter(InetAddress::isLoopbackAddress).isPresent() && FORWARDING_HEADERS.stream()
                .noneMatch(header -> request.getHeaders().contains(header));
    }

    private void dispatch(Exchange exchange, String path) {
        if (path.equals(PREFIX + "gc")) {
            requireMethod(exchange, "POST");
            exchange.send(200, "application/json", Bodies.object(fields(collection.collect())));
        } else if (path.startsWith(REPOSITORIES)) {
            requireMethod(exchange, "DELETE");
            RepositoryName repository = RepositoryName.parse(path.substring(REPOSITORIES.length()));
            try {
                registry.catalog().delete(repository);
            } catch (DeleteDisabledException e) {
                throw new MethodNotAllowedException(e.getMessage(), ""); // the endpoint has no other method
            }
            exchange.happened(() -> ContentEvent.repositoryDeleted(repository));
            exchange.sendEmpty(202);
        } else {
            throw new ApiException(ErrorCode.NOT_FOUND, "no such endpoint: " + path);
        }
    }

    private static void requireMethod(Exchange exchange, String method) {
        if (!exchange.method().equals(method)) {
            throw RegistryHandler.methodNotAllowed(exchange, method);
        }
    }

    private static Map<String, Object> fields(GcReport report) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("blobsMarked", report.blobsMarked());
        fields.put("blobsDeleted", report.blobsDeleted());
        fields.put("bytesFreed", report.bytesFreed());
        fields.put("manifestsDeleted", report.manifestsDeleted());
        fields.put("layerLinksDeleted", report.linksDeleted());
        fields.put("seconds", report.duration().toMillis() / 1000.0);
        return fields;
    }
}
