package dev.berth.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's error responses on the plain-HTTP port (in the error envelope), and one log line when the error is a TLS
 * handshake, at most once a minute (docker tries HTTPS first even with registries it may reach over plain HTTP).
 * The client still gets HTTP's 400, so it reports "server gave HTTP response to HTTPS client". Thread-safe.
 */
final class TlsOnPlainPort extends EnvelopeErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TlsOnPlainPort.class);
    /** What Jetty's HTTP parser says of a TLS record's first byte, the handshake record type. */
    private static final String TLS_RECORD_START = "Illegal character CNTL=0x16";

    private final OccasionalLog handshakes = new OccasionalLog();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        if (code == 400 && message != null && message.contains(TLS_RECORD_START)) {
            log(request);
        }
        super.generateResponse(request, response, code, message, cause, callback);
    }

    private void log(Request request) {
        handshakes.occurred(suffix -> LOG.warn("a TLS handshake from {} arrived at {}, a plain-HTTP port: this "
                        + "client expects HTTPS. Give the registry a certificate (http.tls, or "
                        + "berth.tls.selfmanaged), or let the client use plain HTTP (docker: insecure-registries){}",
                address(request.getConnectionMetaData().getRemoteSocketAddress()),
                address(request.getConnectionMetaData().getLocalSocketAddress()), suffix));
    }
}
