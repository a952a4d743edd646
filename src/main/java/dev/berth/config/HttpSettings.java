package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * distribution's {@code http} section beyond the address: how URLs are formed, what every response carries, how
 * long a stop waits, and the debug server.
 *
 * @param prefix       {@code http.prefix} without its trailing slash ({@code /registry}), empty for none
 * @param host         {@code http.host}: the scheme and authority clients reach the registry at
 * @param relativeUrls {@code http.relativeurls}: Location headers without scheme and host
 * @param drainTimeout {@code http.draintimeout}: how long a stop waits for requests in progress
 * @param headers      {@code http.headers}: added to every response
 * @param debug        {@code http.debug}: the debug server, when configured
 */
public record HttpSettings(String prefix, Optional<URI> host, boolean relativeUrls, Duration drainTimeout,
                           Map<String, List<String>> headers, Optional<Debug> debug) {

    static final Set<String> KEYS = Set.of("http.prefix", "http.host", "http.relativeurls", "http.draintimeout",
            "http.headers", "http.debug.addr", "http.debug.prometheus.enabled", "http.debug.prometheus.path",
            "http.net");

    public HttpSettings {
        headers = Map.copyOf(headers);
    }

    /**
     * {@code http.debug}: health and metrics, on an address of their own.
     *
     * @param metricsPath {@code http.debug.prometheus.path}, when {@code http.debug.prometheus.enabled}
     */
    public record Debug(Address address, Optional<String> metricsPath) {
    }

    /**
     * Reads the {@code http} section; what distribution would ignore too is ignored, with a warning, and taken out
     * of {@code tree}, so that the effective configuration shows what is used.
     */
    static HttpSettings read(ObjectNode tree, List<String> warnings) {
        ConfigTree.text(tree, "http.net").filter(net -> !net.equals("tcp")).ifPresent(net -> {
            throw new ConfigException("http.net", "only tcp is supported, not " + net);
        });
        String prefix = ConfigTree.text(tree, "http.prefix").orElse("/");
        if (!prefix.startsWith("/") || prefix.contains("//") || !prefix.matches("[A-Za-z0-9._~/-]*")) {
            throw new ConfigException("http.prefix", "expected a path such as /registry/, not " + prefix);
        }
        // as in distribution, no address means no debug server, whatever else the section says
        boolean metrics = ConfigTree.bool(tree, "http.debug.prometheus.enabled").orElse(false);
        Optional<Address> debugAddress = Address.read(tree, "http.debug.addr");
        if (metrics && debugAddress.isEmpty()) {
            warnings.add("http.debug.prometheus is enabled but http.debug.addr is not set: no metrics are served");
        }
        Optional<Debug> debug = debugAddress.map(address -> new Debug(address,
                metrics ? Optional.of(metricsPath(tree)) : Optional.empty()));
        Optional<String> writtenHost = ConfigTree.text(tree, "http.host");
        if (writtenHost.isPresent() && !hasAuthority(writtenHost.get(), warnings)) {
            ((ObjectNode) tree.get("http")).remove("host");
            writtenHost = Optional.empty();
        }
        Optional<URI> host = writtenHost.map(HttpSettings::host);
        return new HttpSettings(prefix.replaceAll("/+$", ""), host,
                ConfigTree.bool(tree, "http.relativeurls").orElseThrow(),
                ConfigTree.duration(tree, "http.draintimeout").orElseThrow(),
                ConfigTree.multimap(tree, "http.headers"), debug);
    }

    private static String metricsPath(JsonNode tree) {
        String path = ConfigTree.text(tree, "http.debug.prometheus.path").orElseThrow();
        if (!path.startsWith("/") || path.equals("/debug/health")) {
            throw new ConfigException("http.debug.prometheus.path", "expected a path such as /metrics, not " + path);
        }
        return path;
    }

    /**
     * distribution uses {@code http.host} only when it has a scheme and a host: {@code registry.example.com} or
     * {@code registry.example.com:5000} leave the URLs handed out following each request. So does Berth, with a
     * warning.
     */
    private static boolean hasAuthority(String host, List<String> warnings) {
        try {
            if (new URI(host).getRawAuthority() == null) {
                warnings.add("http.host " + host + " is no URL such as https://" + host
                        + ", so it is ignored, as distribution ignores it: URLs handed out follow each request");
                return false;
            }
        } catch (URISyntaxException e) {
            // not a URL at all: host() says so
        }
        return true;
    }

    private static URI host(String text) {
        try {
            URI uri = new URI(text);
            // schemes and host names are case-insensitive (RFC 3986)
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new ConfigException("http.host", "expected a URL such as https://registry.example.com, not "
                        + text);
            }
            // a path is where a proxy serves the registry, and goes into the URLs handed out. distribution resolves
            // each URL against this one as a relative reference (RFC 3986), which drops what follows the last slash:
            // https://h/sub/ hands out /sub/v2/..., https://h/sub /v2/...
            String written = uri.getPath() == null ? "" : uri.getPath();
            String path = written.substring(0, Math.max(written.lastIndexOf('/'), 0)).replaceAll("/+$", "");
            return new URI(scheme, null, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(),
                    path.isEmpty() ? null : path, null, null);
        } catch (URISyntaxException e) {
            throw new ConfigException("http.host", "not a URL: " + text);
        }
    }
}
