package dev.berth.http;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A stand-in for an S3 service on loopback, holding a fixed set of objects in memory and answering only what reading
 * them takes: {@code HEAD} and {@code GET} of an object by its path-style URL ({@code /BUCKET/KEY}), and S3's
 * {@code NoSuchKey} for anything else. It checks no signature and serves no ranges. It lets the start-up cache's
 * training pull a blob through the S3 driver where no S3 service is at hand. It runs on a {@link RegistryServer},
 * whose classes the training loads anyway, so that it adds next to nothing to the cache.
 */
public final class StandInObjectStore implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final ByteBuffer NO_BODY = ByteBuffer.allocate(0);
    private static final byte[] NO_SUCH_KEY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
            + "<Message>The specified key does not exist.</Message></Error>").getBytes(US_ASCII);
    // one fixed time and tag: the driver reads both from a HEAD, and nothing here changes
    private static final String LAST_MODIFIED = "Thu, 01 Jan 2026 00:00:00 GMT";
    private static final String ETAG = "\"stand-in\"";

    private final RegistryServer server;

    /** Starts serving {@code objects}, by key, as the contents of {@code bucket}. */
    public StandInObjectStore(String bucket, Map<String, byte[]> objects) throws Exception {
        server = new RegistryServer(new InetSocketAddress(LOOPBACK, 0), new Objects("/" + bucket + "/", objects));
        server.start();
    }

    /** The URL to give an S3 client as its endpoint, with path-style addressing. */
    public URI endpoint() {
        return URI.create("http://" + LOOPBACK + ":" + server.port());
    }

    @Override
    public void close() throws Exception {
        server.close();
    }

    private static final class Objects extends Handler.Abstract {

        private final String bucketPath;
        private final Map<String, byte[]> objects;

        Objects(String bucketPath, Map<String, byte[]> objects) {
            this.bucketPath = bucketPath;
            this.objects = Map.copyOf(objects);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            boolean head = HttpMethod.HEAD.is(request.getMethod());
            String path = request.getHttpURI().getPath();
            byte[] object = (head || HttpMethod.GET.is(request.getMethod())) && path.startsWith(bucketPath)
                    ? objects.get(path.substring(bucketPath.length())) : null;
            byte[] body = object != null ? object : NO_SUCH_KEY;
            if (object == null) {
                response.setStatus(404);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
            } else {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                response.getHeaders().put(HttpHeader.LAST_MODIFIED, LAST_MODIFIED);
                response.getHeaders().put(HttpHeader.ETAG, ETAG);
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, head ? NO_BODY : ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
