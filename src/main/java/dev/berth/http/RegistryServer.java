package dev.berth.http;

import dev.berth.loading.BesideClassPath;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The HTTP server: Jetty on virtual threads, one connector (plain HTTP or TLS), the {@link RegistryHandler} (maybe
 * wrapped) inside the handlers of {@link ServerOptions}. {@link #close()} is graceful: it stops accepting, lets
 * requests in progress finish within the drain timeout, then cuts what is left.
 */
public final class RegistryServer implements AutoCloseable {

    /** Uploads are read in large buffers: Jetty's default 8 KiB costs a lot of throughput on big blobs. */
    private static final int INPUT_BUFFER = 64 * 1024;
    /**
     * The largest request head. A docker client's largest, a bearer token with its scopes, takes a few KiB, and the
     * nginx in front of many registries takes 8 KiB a line. A head being received sits on the heap (about 1.3
     * times its size, measured), so this and {@link #connectionLimit} bound what clients that open many
     * connections and never finish their heads can hold: at 128 KiB, 410 of them filled the launcher's heap.
     */
    static final int REQUEST_HEADER_SIZE = 16 * 1024;
    /**
     * What a TLS connection holds of the heap besides the head, while a record is being received: its buffers for
     * the encrypted and the decrypted bytes, measured at about 32 KiB (1,430 connections that each sent the start
     * of a handshake record filled the launcher's heap at the plain-HTTP limit).
     */
    private static final int TLS_CONNECTION_HEAP = 32 * 1024;
    /**
     * Direct buffers kept for reuse at most. Jetty's default pool keeps none larger than 64 KiB, so each blob sent
     * allocated (and zeroed) a fresh buffer, and their memory came back only with a garbage collection: 60 MiB of
     * it under the 32-image workload.
     */
    private static final long POOLED_DIRECT_MEMORY = 32L << 20;

    /**
     * Loaded before the process's first Jetty server is built, for a TLS port that offers HTTP/2: it has Jetty's
     * pre-encoded header fields set up with HPACK's encoder, which they look for once, when first used.
     */
    private static final Supplier<Http2OverTls> HTTP2 = BesideClassPath.once(Http2OverTls.class,
            "dev.berth.http.h2.JettyHttp2", "tls",
            e -> new IllegalStateException("cannot load Jetty's HTTP/2 (lib/tls beside berth.jar): " + e, e),
            "dev.berth.http.h2.", "org.eclipse.jetty.http2.", "org.eclipse.jetty.alpn.");

    private final Server server;
    private final DrainingConnector connector;
    private final ObservedHandler observed;
    private final AtomicBoolean stopped = new AtomicBoolean();

    public RegistryServer(InetSocketAddress address, Handler handler) {
        this(address, handler, ServerOptions.defaults());
    }

    public RegistryServer(InetSocketAddress address, Handler handler, ServerOptions options) {
        this(address, handler, options, Optional.empty());
    }

    /** With {@code tls}, the port speaks only TLS, as distribution's does. */
    public RegistryServer(InetSocketAddress address, Handler handler, ServerOptions options,
                          Optional<TlsOptions> tls) {
        this(address, handler, options, tls, connectionLimit(tls.isPresent()));
    }

    /** With a given limit on connections open at once, for tests: the heap's limit takes thousands. */
    RegistryServer(InetSocketAddress address, Handler handler, ServerOptions options, Optional<TlsOptions> tls,
                   int connections) {
        // before Jetty's first server is built (HTTP2)
        Optional<Http2OverTls> http2 = tls.filter(TlsOptions::http2).map(secure -> HTTP2.get());
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("berth");
        // Jetty runs at most 200 tasks at once by default, and a request reading its body holds one: 200 slow
        // uploads left no task for anything else, health checks included. So as many as connections: over HTTP/1.1
        // a connection runs one at a time, and a task blocked in a read holds about 14 KiB of heap (its stack and
        // buffer, measured with HTTP/2 streams that stalled their uploads: 4,600 of them filled the heap when
        // eight tasks a connection were allowed).
        threads.setMaxConcurrentTasks(connections);
        // given, not left to Jetty, which makes its executor by reflection: 20 ms of spinning method handles at
        // every start-up; numbered by NumberedThreads (the JDK's pollers, which as virtual threads would pay what
        // it saves, the launcher makes platform threads: jdk.pollerMode=1)
        ThreadFactory virtualThreads = new NumberedThreads("berth-", Thread::ofVirtual);
        threads.setVirtualThreadsExecutor(task -> virtualThreads.newThread(task).start());
        server = new Server(threads, null, new ArrayByteBufferPool.Quadratic(0, BodySender.SEND_BUFFER, -1, -1,
                POOLED_DIRECT_MEMORY));
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.setRequestHeaderSize(REQUEST_HEADER_SIZE);
        // Jetty's cache of each connection's header lines takes ~100 KB at its default size from the second
        // request on, for as long as the connection stays open: ~530 keep-alive clients filled the launcher's
        // 64 MiB heap, and every request after that failed. Without it a connection holds next to nothing.
        http.setHeaderCacheSize(0);
        http.addCustomizer(forwardedHeaders());
        // a proxy in front may pass on the Host it was given with a port of its own scheme (reg.example:80 with
        // X-Forwarded-Proto: https); Jetty would refuse every such request once the forwarded scheme is applied
        http.setHttpCompliance(HttpCompliance.RFC9110.with("berth", HttpCompliance.Violation.MISMATCHED_AUTHORITY));
        http.addCustomizer(new PublicUrls(options.publicHost(), options.relativeUrls()));
        HttpConnectionFactory factory = new SerialHttpConnections(http);
        factory.setInputBufferSize(INPUT_BUFFER);
        connector = tls.map(secure -> TlsConnectors.secure(server, factory, secure, http2))
                .orElseGet(() -> TlsConnectors.plain(server, factory));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        connector.limit(connections);
        observed = new ObservedHandler(new HealthEndpoints.Gate(handler, options.health()), options.observers());
        Handler registry = options.prefix().isEmpty() ? observed : new ContextHandler(observed, options.prefix());
        Handler served = tls.flatMap(TlsOptions::authorityPem)
                .<Handler>map(pem -> new CaCertificateHandler(pem, registry)).orElse(registry);
        server.setHandler(connector.tracking(new GracefulHandler(new ResponseHeaders(new PathParameters(
                new HealthEndpoints(served, options.health(), options.readiness())), options.headers()))));
        server.setStopTimeout(options.drainTimeout().toMillis());
        server.setStopAtShutdown(false);
    }

    /**
     * Behind a reverse proxy, Locations follow {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}, as in
     * distribution, or RFC 7239's {@code Forwarded}, and the access log shows the client {@code X-Forwarded-For}
     * names ({@code http.host} overrides them all). Jetty would also take {@code X-Forwarded-Port} and
     * {@code X-Forwarded-Server}, which distribution ignores and common proxy settings fill with what breaks a push
     * (the proxy's inner port, its own name), and headers by which a client could claim TLS it does not use.
     */
    private static ForwardedRequestCustomizer forwardedHeaders() {
        ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();
        forwarded.setForwardedPortHeader(null);
        forwarded.setForwardedServerHeader(null);
        forwarded.setForwardedCipherSuiteHeader(null);
        forwarded.setForwardedSslSessionIdHeader(null);
        forwarded.setForwardedHttpsHeader(null);
        return forwarded;
    }

    /**
     * Connections open at once: as many as half the heap holds while each receives the largest head, at the 1.3
     * bytes of heap per byte of head measured, and with TLS its buffers too (1,536 with the launcher's 64 MiB, 614
     * with TLS; an idle keep-alive connection holds next to nothing). Those beyond wait to be accepted, as they
     * would behind a proxy's own limit, and near it idle ones are closed sooner ({@link DrainingConnector}).
     */
    static int connectionLimit(boolean tls) {
        long perConnection = REQUEST_HEADER_SIZE * 4L / 3 + (tls ? TLS_CONNECTION_HEAP : 0);
        return (int) Math.clamp(Runtime.getRuntime().maxMemory() / 2 / perConnection, 256, 65_536);
    }

    public void start() throws Exception {
        server.start();
    }

    /** The port actually bound, which differs from the configured one when that was 0. */
    public int port() {
        return connector.getLocalPort();
    }

    /** Blob upload requests being received now. */
    public long uploadsInProgress() {
        return observed.uploadsInProgress();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        if (!stopped.getAndSet(true)) {
            server.stop();
        }
    }
}
