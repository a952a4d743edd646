package dev.berth.http;

import dev.berth.api.ErrorCode;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives on its own, before any handler runs (a request target it will not decode, such as
 * {@code /v2/a//b} or {@code %2F} in a name, headers too large, a malformed request line) or for a failure that
 * escaped every handler: in the spec's error envelope, as every other error, instead of Jetty's HTML page. The
 * status stays Jetty's; the detail is Jetty's reason for a client error and nothing for a server error.
 */
class EnvelopeErrorHandler extends ErrorHandler {

    /** Jetty writes its page only for GET, POST and HEAD; a registry's clients PUT, PATCH and DELETE too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message,
                                    Throwable cause, Callback callback) {
        ErrorCode code = switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.UNSUPPORTED;
            case 429 -> ErrorCode.TOOMANYREQUESTS;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.UNKNOWN : ErrorCode.MALFORMED;
        };
        ErrorResponses.write(response, code, status >= 500 ? null : message, callback);
    }
}
