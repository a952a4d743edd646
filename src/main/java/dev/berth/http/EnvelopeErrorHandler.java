package dev.berth.http;

import dev.berth.api.ErrorCode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers Jetty gives on its own, before any handler runs (a request target it will not decode, such as
 * {@code /v2/a//b} or {@code %2F} in a name, headers too large, a malformed request line) or for a failure that
 * escaped every handler: in the spec's error envelope, as every other error, instead of Jetty's HTML page. The
 * status stays Jetty's, but for a head too large; the detail is Jetty's reason for a client error and nothing for a
 * server error.
 */
class EnvelopeErrorHandler extends ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeErrorHandler.class);

    private final OccasionalLog largeHeads = new OccasionalLog();

    /** Jetty writes its page only for GET, POST and HEAD; a registry's clients PUT, PATCH and DELETE too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message,
                                    Throwable cause, Callback callback) {
        if (status == 431) {
            // podman and skopeo ask for the files a zstd:chunked layer lacks as up to ~1,000 ranges in one Range
            // header; to a 400 they ask again for half as many, while 431 makes them download the whole layer
            response.setStatus(400);
            largeHeads.occurred(suffix -> LOG.info("refused a request from {} whose head is larger than {} bytes, "
                    + "with 400{}", address(request.getConnectionMetaData().getRemoteSocketAddress()),
                    RegistryServer.REQUEST_HEADER_SIZE, suffix));
            ErrorResponses.write(response, ErrorCode.MALFORMED, "request head larger than "
                    + RegistryServer.REQUEST_HEADER_SIZE + " bytes", callback);
            return;
        }
        ErrorCode code = switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.UNSUPPORTED;
            case 429 -> ErrorCode.TOOMANYREQUESTS;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.UNKNOWN : ErrorCode.MALFORMED;
        };
        ErrorResponses.write(response, code, status >= 500 ? null : message, callback);
    }

    static String address(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            return String.valueOf(address);
        }
        String host = inet.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
}
