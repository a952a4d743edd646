package dev.berth.http;

import dev.berth.api.Bodies;
import dev.berth.health.HealthMonitor;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * distribution's debug server ({@code http.debug.addr}): {@code /debug/health} with each failing check, and the
 * metrics page at its path. Keep it off the public network: it needs no credentials.
 */
public final class DebugServer implements AutoCloseable {

    static final String HEALTH = "/debug/health";

    private final Server server;
    private final ServerConnector connector;

    /** @param metrics the metrics page, when metrics are on */
    public DebugServer(InetSocketAddress address, HealthMonitor health, Optional<DebugPage> metrics) {
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("berth-debug");
        server = new Server(threads);
        connector = new ServerConnector(server, new SerialHttpConnections(new HttpConfiguration()));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                if (path.equals(HEALTH)) {
                    Map<String, String> failures = health.failures();
                    response.setStatus(failures.isEmpty() ? 200 : 503);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
                    response.write(true, ByteBuffer.wrap(Bodies.healthChecks(failures)), callback);
                    return true;
                }
                if (metrics.isPresent() && path.equals(metrics.get().path())) {
                    DebugPage page = metrics.get();
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, page.contentType());
                    try (OutputStream out = Content.Sink.asOutputStream(response)) {
                        page.write(out);
                    }
                    callback.succeeded();
                    return true;
                }
                return false;
            }
        });
    }

    public void start() throws Exception {
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
