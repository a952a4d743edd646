package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Reads distribution's {@code http.tls} and {@code http.http2}, and Berth's {@code berth.tls.selfmanaged}. */
final class TlsSection {

    /** Distribution's "available cipher suites" (configuration.md, {@code http.tls.ciphersuites}). */
    private static final List<String> CIPHER_SUITES = List.of(
            "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    /** Distribution's "default cipher suites". */
    private static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_256_GCM_SHA384");
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern HOST_NAME = Pattern.compile("(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*");

    private TlsSection() {
    }

    static Optional<TlsSettings> tls(JsonNode tree) {
        refuseLetsEncrypt(tree);
        Optional<Path> certificate = ConfigTree.text(tree, "http.tls.certificate").map(Path::of);
        Optional<Path> key = ConfigTree.text(tree, "http.tls.key").map(Path::of);
        TlsSettings.Certificates certificates;
        if (ConfigTree.bool(tree, "berth.tls.selfmanaged.enabled").orElse(false)) {
            if (certificate.isPresent() || key.isPresent()) {
                throw new ConfigException("berth.tls.selfmanaged.enabled", "http.tls.certificate and http.tls.key "
                        + "already name a certificate; use either them or the self-managed one");
            }
            certificates = new TlsSettings.SelfManaged(hosts(tree));
        } else if (certificate.isPresent() || key.isPresent()) {
            certificates = new TlsSettings.Files(
                    certificate.orElseThrow(() -> new ConfigException("http.tls.certificate", "required with http.tls.key")),
                    key.orElseThrow(() -> new ConfigException("http.tls.key", "required with http.tls.certificate")));
        } else if (setsAnything(ConfigTree.at(tree, "http.tls"), "letsencrypt")) {
            throw new ConfigException("http.tls", "TLS needs http.tls.certificate and http.tls.key, "
                    + "or berth.tls.selfmanaged.enabled: true");
        } else {
            return Optional.empty();
        }
        return Optional.of(new TlsSettings(certificates,
                ConfigTree.strings(tree, "http.tls.clientcas").stream().filter(ca -> !ca.isBlank()).map(Path::of)
                        .toList(),
                clientAuth(tree), minimum(tree), cipherSuites(tree),
                !ConfigTree.bool(tree, "http.http2.disabled").orElse(false)));
    }

    /**
     * Whether a section sets any value but empty text and empty lists (what templates and empty {@code REGISTRY_*}
     * variables leave, which distribution reads as unset), outside the subsection {@code ignored}.
     */
    private static boolean setsAnything(JsonNode section, String ignored) {
        if (section.isObject()) {
            for (Map.Entry<String, JsonNode> field : section.properties()) {
                if (!field.getKey().equals(ignored) && setsAnything(field.getValue(), ignored)) {
                    return true;
                }
            }
            return false;
        }
        if (section.isArray()) {
            for (JsonNode item : section) {
                if (setsAnything(item, ignored)) {
                    return true;
                }
            }
            return false;
        }
        return !section.isMissingNode() && !section.isNull() && !(section.isTextual() && section.asText().isBlank());
    }

    /**
     * Parsed so that its errors name the right key, then refused with what to do instead. Without a cache file
     * distribution does not use Let's Encrypt either, so the section is then left to the warning for keys Berth
     * ignores.
     */
    private static void refuseLetsEncrypt(JsonNode tree) {
        if (ConfigTree.text(tree, "http.tls.letsencrypt.cachefile").isEmpty()) {
            return;
        }
        if (ConfigTree.text(tree, "http.tls.letsencrypt.email").isEmpty()) {
            throw new ConfigException("http.tls.letsencrypt.email", "required by http.tls.letsencrypt");
        }
        List<String> hosts = ConfigTree.strings(tree, "http.tls.letsencrypt.hosts");
        throw new ConfigException("http.tls.letsencrypt", "Berth has no ACME client, so it cannot get certificates "
                + "from Let's Encrypt (it is built and tested where no ACME server can be reached). Use a certificate "
                + "from your CA with http.tls.certificate and http.tls.key, or let Berth run a local CA whose "
                + "certificate docker trusts in one step: berth: {tls: {selfmanaged: {enabled: true, hosts: ["
                + (hosts.isEmpty() ? "registry.example.com" : String.join(", ", hosts)) + "]}}}");
    }

    private static List<String> hosts(JsonNode tree) {
        List<String> hosts = ConfigTree.strings(tree, "berth.tls.selfmanaged.hosts");
        if (hosts.isEmpty()) {
            throw new ConfigException("berth.tls.selfmanaged.hosts", "list the names and IP addresses clients use "
                    + "to reach this registry, e.g. [registry.example.lan, 192.168.1.10]");
        }
        for (String host : hosts) {
            try {
                InetAddress.ofLiteral(host);
            } catch (IllegalArgumentException notAnAddress) {
                if (!HOST_NAME.matcher(host).matches()) {
                    throw new ConfigException("berth.tls.selfmanaged.hosts", host
                            + " is not a host name or IP address (give it without scheme or port)");
                }
            }
        }
        return hosts;
    }

    private static TlsSettings.ClientAuth clientAuth(JsonNode tree) {
        return ConfigTree.text(tree, "http.tls.clientauth").map(name -> named(TlsSettings.ClientAuth.values(), name,
                        TlsSettings.ClientAuth::configName, "http.tls.clientauth"))
                .orElse(TlsSettings.ClientAuth.REQUIRE_AND_VERIFY_CLIENT_CERT);
    }

    private static TlsSettings.TlsVersion minimum(JsonNode tree) {
        return ConfigTree.text(tree, "http.tls.minimumtls").map(name -> named(TlsSettings.TlsVersion.values(), name,
                        TlsSettings.TlsVersion::configName, "http.tls.minimumtls"))
                .orElse(TlsSettings.TlsVersion.TLS1_2);
    }

    private static <T> T named(T[] values, String name, Function<T, String> configName,
                               String key) {
        for (T value : values) {
            if (configName.apply(value).equals(name)) {
                return value;
            }
        }
        throw new ConfigException(key, "must be one of " + String.join(", ",
                Arrays.stream(values).map(configName).toList()) + ", not " + name);
    }

    private static List<String> cipherSuites(JsonNode tree) {
        List<String> suites = ConfigTree.strings(tree, "http.tls.ciphersuites");
        for (String suite : suites) {
            if (!CIPHER_SUITES.contains(suite)) {
                throw new ConfigException("http.tls.ciphersuites", "unknown cipher suite " + suite
                        + "; distribution's configuration reference lists the available ones");
            }
        }
        return suites.isEmpty() ? DEFAULT_CIPHER_SUITES : suites;
    }
}
