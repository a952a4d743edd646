package dev.berth.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the self-managed CA's certificate at {@code /ca.crt}, without authentication, so that a client host can
 * fetch what it needs to trust the registry; everything else goes to the registry.
 */
final class CaCertificateHandler extends Handler.Wrapper {

    private static final String PATH = "/ca.crt";

    private final byte[] pem;

    CaCertificateHandler(String pem, Handler registry) {
        super(registry);
        this.pem = pem.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!head && !HttpMethod.GET.is(request.getMethod())) {
            response.setStatus(405);
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            callback.succeeded();
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-pem-file");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, pem.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(pem), callback);
        return true;
    }
}
