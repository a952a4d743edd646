package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.tls.CertificateAuthority;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TlsServerTest {

    @RegisterExtension
    final HttpsRegistry registry = new HttpsRegistry();

    private TlsOptions with(List<String> protocols, List<String> suites, boolean http2,
                            Optional<String> authorityPem) {
        TlsOptions defaults = registry.defaults();
        return new TlsOptions(defaults.certificate(), defaults.key(), defaults.clientCas(), defaults.clientAuth(),
                protocols, suites, http2, authorityPem, defaults.reloadInterval());
    }

    private static SSLSession session(HttpResponse<?> response) {
        return response.sslSession().orElseThrow();
    }

    @Test
    void servesTheRegistryOverHttp2ChosenThroughAlpn() throws Exception {
        registry.start(registry.defaults());

        HttpResponse<byte[]> response = registry.client().get("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.headers().firstValue("Docker-Distribution-Api-Version")).contains("registry/2.0");
        assertThat(session(response).getProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void pushesAndPullsABlobWithHttpsUploadLocations() throws Exception {
        registry.start(registry.defaults());
        TestBlob blob = TestBlob.random(100_000);

        HttpResponse<byte[]> started = registry.client().send(HttpRequest.newBuilder(
                registry.uri("/v2/tls/app/blobs/uploads/")).POST(BodyPublishers.noBody()));
        String location = TestRegistry.header(started, "Location");
        HttpResponse<byte[]> finished = registry.client().send(HttpRequest.newBuilder(
                        URI.create(location + (location.contains("?") ? "&" : "?") + "digest=" + blob.digest()))
                .header("Content-Type", "application/octet-stream").PUT(BodyPublishers.ofByteArray(blob.bytes())));
        HttpResponse<byte[]> pulled = registry.client().get("/v2/tls/app/blobs/" + blob.digest());

        assertThat(location).startsWith(registry.uri("/v2/tls/app/blobs/uploads/").toString());
        assertThat(finished.statusCode()).isEqualTo(201);
        assertThat(pulled.body()).isEqualTo(blob.bytes());
        assertThat(pulled.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void aBlobOfManyRecordsArrivesWholeBothWaysOverEitherProtocol() throws Exception {
        registry.start(registry.defaults());
        TestBlob blob = TestBlob.random(5 * 1024 * 1024 + 12_345);

        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
            HttpsRegistry.Client client = registry.client().version(version);
            String repository = "/v2/tls/" + version.name().toLowerCase(Locale.ROOT);
            HttpResponse<byte[]> finished = push(client, repository, blob);
            HttpResponse<byte[]> pulled = client.get(repository + "/blobs/" + blob.digest());

            assertThat(finished.statusCode()).as(version.name()).isEqualTo(201);
            assertThat(pulled.version()).isEqualTo(version);
            assertThat(pulled.body()).as(version.name()).isEqualTo(blob.bytes());
        }
    }

    @Test
    void pullsArriveWholeWhileMoreClientsThanTheBatchBudgetStopReading() throws Exception {
        registry.start(registry.defaults());
        HttpsRegistry.Client client = registry.client().version(HttpClient.Version.HTTP_1_1);
        TestBlob blob = TestBlob.random(4 * 1024 * 1024);
        assertThat(push(client, "/v2/tls/stalled", blob).statusCode()).isEqualTo(201);
        byte[] request = ("GET /v2/tls/stalled/blobs/" + blob.digest() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        List<SSLSocket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < BatchedTlsRecords.BATCHING_CONNECTIONS + 8; i++) {
                SSLSocket socket = (SSLSocket) client.sslContext().getSocketFactory()
                        .createSocket("127.0.0.1", registry.port());
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                stalled.add(socket);
            }
            // each answer fills its socket's buffers and waits there, its records held by the server
            Thread.sleep(500);

            HttpResponse<byte[]> pulled = client.get("/v2/tls/stalled/blobs/" + blob.digest());

            assertThat(pulled.statusCode()).isEqualTo(200);
            assertThat(pulled.body()).isEqualTo(blob.bytes());
        } finally {
            for (SSLSocket socket : stalled) {
                socket.close();
            }
        }
        assertThat(client.get("/v2/tls/stalled/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    private HttpResponse<byte[]> push(HttpsRegistry.Client client, String repository, TestBlob blob)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> started = client.send(HttpRequest.newBuilder(
                registry.uri(repository + "/blobs/uploads/")).POST(BodyPublishers.noBody()));
        String location = TestRegistry.header(started, "Location");
        return client.send(HttpRequest.newBuilder(
                        URI.create(location + (location.contains("?") ? "&" : "?") + "digest=" + blob.digest()))
                .header("Content-Type", "application/octet-stream").PUT(BodyPublishers.ofByteArray(blob.bytes())));
    }

    @Test
    void speaksHttp11ToClientsThatAskForIt() throws Exception {
        registry.start(registry.defaults());

        HttpResponse<byte[]> response = registry.client().version(HttpClient.Version.HTTP_1_1).get("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void negotiatesHttp11WithClientsThatOfferOnlyItThroughAlpn() throws Exception {
        registry.start(registry.defaults());

        try (SSLSocket socket = (SSLSocket) registry.client().sslContext().getSocketFactory()
                .createSocket("127.0.0.1", registry.port())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();

            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @Test
    void speaksOnlyHttp11WhenHttp2IsOff() throws Exception {
        registry.start(with(List.of("TLSv1.2", "TLSv1.3"), HttpsRegistry.DEFAULT_SUITES, false, Optional.empty()));

        HttpResponse<byte[]> response = registry.client().get("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void acceptsTls12ByDefault() throws Exception {
        registry.start(registry.defaults());

        HttpResponse<byte[]> response = registry.client().offering(List.of("TLSv1.2"), List.of()).get("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(session(response).getProtocol()).isEqualTo("TLSv1.2");
    }

    @Test
    void refusesClientsBelowTheMinimumVersion() throws Exception {
        registry.start(with(List.of("TLSv1.3"), HttpsRegistry.DEFAULT_SUITES, true, Optional.empty()));

        assertThatThrownBy(() -> registry.client().offering(List.of("TLSv1.2"), List.of()).get("/v2/"))
                .isInstanceOf(IOException.class);
        assertThat(session(registry.client().get("/v2/")).getProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void offersOnlyTheConfiguredCipherSuites() throws Exception {
        String chosen = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        registry.start(with(List.of("TLSv1.2", "TLSv1.3"), List.of(chosen, "TLS_AES_128_GCM_SHA256"), true,
                Optional.empty()));

        assertThatThrownBy(() -> registry.client()
                .offering(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")).get("/v2/"))
                .isInstanceOf(IOException.class);
        HttpResponse<byte[]> response = registry.client().offering(List.of("TLSv1.2"), List.of(chosen)).get("/v2/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(session(response).getCipherSuite()).isEqualTo(chosen);
    }

    @Test
    void refusesClientsThatDoNotTrustTheCertificate() throws Exception {
        registry.start(registry.defaults());
        HttpsRegistry.Client stranger = registry.client(
                CertificateAuthority.create("another CA", Instant.now()).certificate());

        assertThatThrownBy(() -> stranger.get("/v2/")).isInstanceOf(IOException.class);
    }

    @Test
    void servesTheCaCertificateToAnyoneWhenAsked() throws Exception {
        String pem = registry.files().authorityPem();
        registry.start(with(List.of("TLSv1.2", "TLSv1.3"), HttpsRegistry.DEFAULT_SUITES, true, Optional.of(pem)));

        HttpResponse<byte[]> get = registry.client().get("/ca.crt");
        HttpResponse<byte[]> head = registry.client().send(HttpRequest.newBuilder(registry.uri("/ca.crt"))
                .method("HEAD", BodyPublishers.noBody()));
        HttpResponse<byte[]> post = registry.client().send(HttpRequest.newBuilder(registry.uri("/ca.crt"))
                .POST(BodyPublishers.noBody()));

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(new String(get.body(), StandardCharsets.US_ASCII)).isEqualTo(pem);
        assertThat(get.headers().firstValue("Content-Type")).contains("application/x-pem-file");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(registry.client().get("/v2/").statusCode()).isEqualTo(200);
    }

    @Test
    void servesNoCaCertificateWithCertificatesFromElsewhere() throws Exception {
        registry.start(registry.defaults());

        assertThat(registry.client().get("/ca.crt").statusCode()).isEqualTo(404);
    }
}
