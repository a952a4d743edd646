package dev.berth.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which layer URLs a pushed manifest may carry, as distribution's {@code validation.manifests.urls}: with no
 * allow rule none may; otherwise every URL must match an allow rule and none a deny rule.
 */
public record ManifestRules(List<Pattern> allowUrls, List<Pattern> denyUrls) {

    public static final ManifestRules NO_URLS = new ManifestRules(List.of(), List.of());

    public ManifestRules {
        allowUrls = List.copyOf(allowUrls);
        denyUrls = List.copyOf(denyUrls);
    }

    boolean allows(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getFragment() != null) {
                return false;
            }
        } catch (URISyntaxException e) {
            return false;
        }
        return allowUrls.stream().anyMatch(p -> p.matcher(url).find())
                && denyUrls.stream().noneMatch(p -> p.matcher(url).find());
    }
}
