package dev.berth.http;

import dev.berth.TestFiles;

import dev.berth.auth.OpenAccess;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.storage.filesystem.FilesystemDriver;
import dev.berth.tls.CertificateAuthority;
import dev.berth.tls.CertifiedKey;
import dev.berth.tls.SelfManagedTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Berth server speaking TLS for one test, with a self-managed CA and server certificate for {@code 127.0.0.1}
 * made fresh in a temporary directory, and {@link HttpClient}s configured as each test needs: which CA they trust,
 * which certificate they present, which protocols and cipher suites they offer. Register it as an instance field
 * with {@code @RegisterExtension}; each test then calls {@link #start}.
 */
final class HttpsRegistry implements BeforeEachCallback, AfterEachCallback {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final List<String> DEFAULT_SUITES = List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    private final List<HttpClient> clients = new ArrayList<>();
    private Path directory;
    private SelfManagedTls files;
    private RegistryServer server;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("berth-https-test-");
        files = SelfManagedTls.prepare(directory.resolve("tls"), List.of("127.0.0.1"), Instant.now());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        clients.forEach(HttpClient::close);
        if (server != null) {
            server.close();
        }
        TestFiles.deleteTree(directory);
    }

    Path directory() {
        return directory;
    }

    SelfManagedTls files() {
        return files;
    }

    /** The self-managed CA, to issue client certificates with. */
    CertificateAuthority authority() {
        return new CertificateAuthority(CertifiedKey.read(files.authorityFile(), files.directory().resolve("ca.key")));
    }

    /** TLS 1.2 and 1.3, HTTP/2, no client certificates, no {@code /ca.crt}, reloads checked every 50 ms. */
    TlsOptions defaults() {
        return new TlsOptions(files.certificateFile(), files.keyFile(), List.of(), TlsOptions.ClientAuth.REQUIRE_AND_VERIFY,
                List.of("TLSv1.2", "TLSv1.3"), DEFAULT_SUITES, true, Optional.empty(), Duration.ofMillis(50));
    }

    void start(TlsOptions options) throws Exception {
        Registry registry = Registry.over(new FilesystemDriver(Files.createDirectories(directory.resolve("storage"))),
                true, ManifestRules.NO_URLS, Clock.systemUTC());
        server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0),
                new RegistryHandler(registry, new OpenAccess()), ServerOptions.defaults(), Optional.of(options));
        server.start();
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    /** A client that trusts {@code authority} and prefers HTTP/2. */
    Client client(X509Certificate authority) {
        return new Client(authority, Optional.empty(), HttpClient.Version.HTTP_2, Optional.empty());
    }

    /** A client that trusts the self-managed CA and prefers HTTP/2. */
    Client client() {
        return client(files.authority());
    }

    /** How one client connects; every request goes through a new {@link HttpClient}, so a new handshake. */
    final class Client {
        private final X509Certificate authority;
        private final Optional<CertifiedKey> identity;
        private final HttpClient.Version version;
        private final Optional<SSLParameters> parameters;

        private Client(X509Certificate authority, Optional<CertifiedKey> identity, HttpClient.Version version,
                       Optional<SSLParameters> parameters) {
            this.authority = authority;
            this.identity = identity;
            this.version = version;
            this.parameters = parameters;
        }

        Client presenting(CertifiedKey certificate) {
            return new Client(authority, Optional.of(certificate), version, parameters);
        }

        Client version(HttpClient.Version preferred) {
            return new Client(authority, identity, preferred, parameters);
        }

        /** Offers only these protocols and, when not empty, only these cipher suites. */
        Client offering(List<String> protocols, List<String> cipherSuites) {
            SSLParameters offered = new SSLParameters();
            offered.setProtocols(protocols.toArray(String[]::new));
            if (!cipherSuites.isEmpty()) {
                offered.setCipherSuites(cipherSuites.toArray(String[]::new));
            }
            return new Client(authority, identity, version, Optional.of(offered));
        }

        HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpClient.Builder builder = HttpClient.newBuilder().version(version).connectTimeout(TIMEOUT)
                    .sslContext(sslContext());
            parameters.ifPresent(builder::sslParameters);
            HttpClient client = builder.build();
            clients.add(client);
            return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        SSLContext sslContext() {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("authority", authority);
                TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
                trustManagers.init(trust);
                KeyManager[] keyManagers = identity.map(Presenting::new).map(m -> new KeyManager[] {m}).orElse(null);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers, trustManagers.getTrustManagers(), null);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Presents its certificate whichever CAs the server names, as a client configured with one certificate does
     * (the JDK's own key manager would send nothing when the issuer is not among them).
     */
    private static final class Presenting extends X509ExtendedKeyManager {
        private static final String ALIAS = "client";
        private final CertifiedKey identity;

        Presenting(CertifiedKey identity) {
            this.identity = identity;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return identity.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return identity.key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
