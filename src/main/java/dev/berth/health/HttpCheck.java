package dev.berth.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code health.http}: a {@code HEAD} of the URI answers the expected status within the timeout. */
public final class HttpCheck implements HealthCheck {

    private final URI uri;
    private final Map<String, List<String>> headers;
    private final int status;
    private final Duration timeout;
    private final HttpClient client;

    public HttpCheck(URI uri, Map<String, List<String>> headers, int status, Duration timeout) {
        this.uri = uri;
        this.headers = Map.copyOf(headers);
        this.status = status;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return uri.toString();
    }

    @Override
    public void check() throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        headers.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        int answered = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (answered != status) {
            throw new IllegalStateException("downstream service returned unexpected status: " + answered);
        }
    }
}
