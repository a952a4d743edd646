package dev.berth.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers 404 to a path with parameters ({@code /v2/secret;x/app/tags/list}), as distribution does. Jetty's
 * canonical path, by which everything else routes, drops them, so such a request reached the registry under a
 * path that a proxy in front, matching the path as sent, took for another: its rules for {@code /v2/secret/} did
 * not apply. No registry path has a {@code ;} (names, tags and digests cannot hold one).
 */
final class PathParameters extends Handler.Wrapper {

    PathParameters(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getHttpURI().getPath().indexOf(';') >= 0) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404, "no such endpoint");
            return true;
        }
        return super.handle(request, response, callback);
    }
}
