package dev.berth.http;

import dev.berth.api.ErrorCode;
import dev.berth.health.HealthMonitor;
import dev.berth.health.Readiness;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /healthz} (the process answers) and {@code /readyz} (the storage works as the registry needs) for
 * orchestrators, and {@code /}, which distribution's deployment guide offers load balancers: 200 with an empty
 * body, 503 while a configured health check fails. On the main port and outside any prefix, and not logged: probes
 * come every few seconds. Requests for everything else go through a {@link Gate}.
 */
final class HealthEndpoints extends Handler.Wrapper {

    static final String LIVE = "/healthz";
    static final String READY = "/readyz";
    static final String ALIVE = "/";

    private final Optional<HealthMonitor> monitor;
    private final Optional<Readiness> readiness;

    HealthEndpoints(Handler next, Optional<HealthMonitor> monitor, Optional<Readiness> readiness) {
        super(next);
        this.monitor = monitor;
        this.readiness = readiness;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path.equals(LIVE)) {
            text(response, callback, 200, "ok");
            return true;
        }
        if (path.equals(READY)) {
            Optional<String> failure = readiness.flatMap(Readiness::failure);
            text(response, callback, failure.isEmpty() ? 200 : 503, failure.orElse("ok"));
            return true;
        }
        if (path.equals(ALIVE)) {
            if (!Gate.refused(monitor, response, callback)) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
                callback.succeeded();
            }
            return true;
        }
        return super.handle(request, response, callback);
    }

    private static void text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap((body + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    }

    /**
     * As distribution does, {@code 503 UNAVAILABLE} for every request while a configured health check fails. Inside
     * the access log and metrics, so that the outage shows there; without the checks' names, which may hold
     * addresses or credentials, for anyone to read: the log and the debug server's {@code /debug/health} have them.
     */
    static final class Gate extends Handler.Wrapper {

        private final Optional<HealthMonitor> monitor;

        Gate(Handler next, Optional<HealthMonitor> monitor) {
            super(next);
            this.monitor = monitor;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            return refused(monitor, response, callback) || super.handle(request, response, callback);
        }

        /** Answers 503 and returns true while a check fails. */
        static boolean refused(Optional<HealthMonitor> monitor, Response response, Callback callback) {
            int failing = monitor.map(HealthMonitor::failures).map(Map::size).orElse(0);
            if (failing == 0) {
                return false;
            }
            response.setStatus(ErrorCode.UNAVAILABLE.status());
            ErrorResponses.write(response, ErrorCode.UNAVAILABLE, failing == 1 ? "a health check fails"
                    : failing + " health checks fail", callback);
            return true;
        }
    }
}
