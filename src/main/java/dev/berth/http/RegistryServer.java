package dev.berth.http;

import java.net.InetSocketAddress;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/** The HTTP server: Jetty on virtual threads, one connector, the {@link RegistryHandler} (maybe wrapped). */
public final class RegistryServer implements AutoCloseable {

    /** Uploads are read in large buffers: Jetty's default 8 KiB costs a lot of throughput on big blobs. */
    private static final int INPUT_BUFFER = 64 * 1024;

    private final Server server;
    private final ServerConnector connector;

    public RegistryServer(InetSocketAddress address, Handler handler) {
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("berth");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        HttpConnectionFactory factory = new HttpConnectionFactory(http);
        factory.setInputBufferSize(INPUT_BUFFER);
        connector = new ServerConnector(server, factory);
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopAtShutdown(false);
    }

    public void start() throws Exception {
        server.start();
    }

    /** The port actually bound, which differs from the configured one when that was 0. */
    public int port() {
        return connector.getLocalPort();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
