package dev.berth.http;

import java.net.URI;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Makes the URLs the registry hands out the ones clients should use: with {@code http.host}, its scheme and
 * authority replace what the request carried (after any {@code X-Forwarded-Proto} or {@code X-Forwarded-Host}
 * header was applied), and its path, where a proxy serves the registry, goes before every path handed out in
 * place of the prefix the registry is served at; without it, with {@code http.relativeurls}, Location headers
 * carry a path only. As in distribution, where {@code http.host} names the registry's public URL entirely.
 */
final class PublicUrls implements HttpConfiguration.Customizer {

    /** Set on a request whose Location headers are to be relative. */
    static final String RELATIVE = PublicUrls.class.getName() + ".relative";
    /** Set on a request to the path of {@code http.host} (maybe empty), when there is one. */
    static final String HOST_PATH = PublicUrls.class.getName() + ".path";

    private final Optional<URI> host;
    private final boolean relative;

    PublicUrls(Optional<URI> host, boolean relative) {
        this.host = host;
        this.relative = relative;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        if (host.isEmpty()) {
            if (relative) {
                request.setAttribute(RELATIVE, Boolean.TRUE);
            }
            return request;
        }
        URI publicHost = host.get();
        request.setAttribute(HOST_PATH, publicHost.getRawPath() == null ? "" : publicHost.getRawPath());
        HttpURI uri = HttpURI.build(request.getHttpURI()).scheme(publicHost.getScheme())
                .host(publicHost.getHost()).port(publicHost.getPort()).asImmutable();
        // Jetty refuses a request whose URI and Host header name different authorities
        HttpFields headers = HttpFields.build(request.getHeaders()).put(HttpHeader.HOST, uri.getAuthority())
                .asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpURI getHttpURI() {
                return uri;
            }

            @Override
            public HttpFields getHeaders() {
                return headers;
            }

            @Override
            public boolean isSecure() {
                return "https".equals(publicHost.getScheme());
            }
        };
    }
}
