package dev.berth.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.berth.tls.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.xml.stream.XMLInputFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Where a connection's download URLs point (signed here, offline, as the driver signs the ones clients follow), and
 * how it speaks to its endpoint.
 */
class S3ConnectionTest {

    private static final URI INTERNAL = URI.create("http://minio.internal:9000");

    private static URI download(S3Address address) {
        S3Connection connection = S3Connection.to(address, Optional.empty(), "AKIAEXAMPLE", "secret", false);
        try (S3Presigner presigner = connection.newPresigner().get()) {
            return URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(1))
                    .getObjectRequest(g -> g.bucket("images").key("docker/registry/v2/blobs/x/data"))).url()
                    .toString());
        } finally {
            connection.client().close();
        }
    }

    private static String awsHost(boolean dualStack, boolean accelerate, boolean fips) {
        return download(new S3Address("eu-west-1", Optional.empty(), Optional.empty(), false, dualStack, accelerate,
                fips)).getHost();
    }

    @Test
    void downloadsPointAtTheRedirectEndpointWhenOneIsGivenElseAtTheRegistrysOwn() {
        URI redirected = download(new S3Address("us-east-1", Optional.of(INTERNAL),
                Optional.of(URI.create("https://cdn.example.com")), true, false, false, false));
        assertThat(redirected.getScheme() + "://" + redirected.getAuthority() + redirected.getPath())
                .isEqualTo("https://cdn.example.com/images/docker/registry/v2/blobs/x/data");
        URI direct = download(S3Address.of("us-east-1", INTERNAL));
        assertThat(direct.getScheme() + "://" + direct.getAuthority() + direct.getPath())
                .isEqualTo("http://minio.internal:9000/images/docker/registry/v2/blobs/x/data");
    }

    @Test
    void theConfiguredUserAgentFollowsTheSdksOwn() throws Exception {
        AtomicReference<String> agent = new AtomicReference<>();
        HttpServer s3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s3.createContext("/", exchange -> {
            agent.set(exchange.getRequestHeaders().getFirst("User-Agent"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        s3.start();
        S3Connection connection = S3Connection.to(S3Address.of("us-east-1",
                URI.create("http://127.0.0.1:" + s3.getAddress().getPort())), Optional.of("acme-registry/1.0"),
                "AKIAEXAMPLE", "secret", false);
        try {
            connection.client().headBucket(b -> b.bucket("images"));
            assertThat(agent.get()).startsWith("aws-sdk-java/").endsWith(" acme-registry/1.0");
        } finally {
            connection.client().close();
            s3.stop(0);
        }
    }

    @Test
    void anHttpsEndpointIsSpokenToOverTlsAndItsCertificateChecked() throws Exception {
        KeyPair keys = TestCertificates.ec();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("s3", keys.getPrivate(), new char[0],
                new Certificate[] {TestCertificates.selfSigned(keys, "127.0.0.1")});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        AtomicInteger requests = new AtomicInteger();
        HttpsServer s3 = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s3.setHttpsConfigurator(new HttpsConfigurator(tls));
        s3.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        s3.start();
        S3Address address = S3Address.of("us-east-1", URI.create("https://127.0.0.1:" + s3.getAddress().getPort()));
        try (S3Client skipping = S3Connection.to(address, Optional.empty(), "AKIAEXAMPLE", "secret", true).client();
             S3Client checking = S3Connection.to(address, Optional.empty(), "AKIAEXAMPLE", "secret", false)
                     .client()) {
            skipping.headBucket(b -> b.bucket("images"));
            assertThat(requests).hasValue(1);
            // a certificate no CA vouches for is refused unless skipverify says otherwise
            assertThatThrownBy(() -> checking.headBucket(b -> b.bucket("images")))
                    .isInstanceOf(SdkClientException.class).hasRootCauseInstanceOf(CertPathBuilderException.class);
            assertThat(requests).hasValue(1);
        } finally {
            s3.stop(0);
        }
    }

    @Test
    void awsEndpointsAreTheVariantsTheConfigurationAsksFor() {
        assertThat(awsHost(false, false, false)).isEqualTo("images.s3.eu-west-1.amazonaws.com");
        assertThat(awsHost(true, false, false)).isEqualTo("images.s3.dualstack.eu-west-1.amazonaws.com");
        assertThat(awsHost(false, true, false)).isEqualTo("images.s3-accelerate.amazonaws.com");
        assertThat(awsHost(false, false, true)).isEqualTo("images.s3-fips.eu-west-1.amazonaws.com");
    }

    @Test
    void theSdksXmlFactoryIsTheJdksNamedOnceUnlessTheOperatorNamedOne() {
        String property = XMLInputFactory.class.getName();
        String before = System.getProperty(property);
        try {
            System.clearProperty(property);
            S3Connection.to(S3Address.of("us-east-1", INTERNAL), Optional.empty(), "AKIAEXAMPLE", "secret", false)
                    .client().close();
            assertThat(System.getProperty(property))
                    .isEqualTo(XMLInputFactory.newDefaultFactory().getClass().getName());
            assertThat(XMLInputFactory.newInstance()).isInstanceOf(XMLInputFactory.newDefaultFactory().getClass());

            System.setProperty(property, "com.example.OperatorsFactory");
            S3Connection.to(S3Address.of("us-east-1", INTERNAL), Optional.empty(), "AKIAEXAMPLE", "secret", false)
                    .client().close();
            assertThat(System.getProperty(property)).isEqualTo("com.example.OperatorsFactory");
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }
}
