package dev.berth.http;

import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code http.headers}: added to every response, error responses included, before the handler sets its own. */
final class ResponseHeaders extends Handler.Wrapper {

    private final Map<String, List<String>> headers;

    ResponseHeaders(Handler next, Map<String, List<String>> headers) {
        super(next);
        this.headers = Map.copyOf(headers);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        add(response);
        Response withHeaders = new Response.Wrapper(request, response) {
            @Override
            public void reset() {
                // an error replaces the response's headers; these belong on it too
                super.reset();
                add(getWrapped());
            }
        };
        return super.handle(request, withHeaders, callback);
    }

    private void add(Response response) {
        headers.forEach((name, values) -> values.forEach(value -> response.getHeaders().add(name, value)));
    }
}
