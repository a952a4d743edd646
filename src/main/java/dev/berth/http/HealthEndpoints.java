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
 * {@code /healthz} (the process answers) and {@code /readyz} (the storage takes writes) for orchestrators, on the
 * main port and outside any prefix; and, as distribution does, {@code 503 UNAVAILABLE} for every other request
 * while a configured health check fails.
 */
final class HealthEndpoints extends Handler.Wrapper {

    static final String LIVE = "/healthz";
    static final String READY = "/readyz";

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
        Map<String, String> failures = monitor.map(HealthMonitor::failures).orElse(Map.of());
        if (!failures.isEmpty()) {
            response.setStatus(ErrorCode.UNAVAILABLE.status());
            ErrorResponses.write(response, ErrorCode.UNAVAILABLE,
                    "health checks failing: " + String.join(", ", failures.keySet()), callback);
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
}
