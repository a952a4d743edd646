package dev.berth.storage.s3;

import java.net.Socket;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.xml.stream.XMLInputFactory;
import org.apache.hc.core5.http.protocol.HttpContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * A client of S3, and the means to sign the URLs it sends clients to, configured alike. The signer is made only when
 * asked for (redirects on): making it takes a start about 20 ms.
 */
public record S3Connection(S3Client client, Supplier<S3Presigner> newPresigner) {

    /** Requests to S3 at once: every upload, pull and link lookup in flight holds one. */
    private static final int MAX_CONNECTIONS = 256;

    /**
     * A connection to S3 at {@code address}.
     *
     * @param userAgent  {@code useragent}: added to the SDK's own {@code User-Agent}, as distribution adds it
     * @param accessKey  with {@code secretKey}, the credentials to sign with; null for the AWS SDK's default
     *                   chain (environment, profile, container or instance role)
     * @param skipVerify trust any certificate the endpoint shows (distribution's {@code skipverify})
     */
    public static S3Connection to(S3Address address, Optional<String> userAgent, String accessKey, String secretKey,
                                  boolean skipVerify) {
        nameTheJdksXmlFactory();
        AwsCredentialsProvider credentials = accessKey == null ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        Apache5HttpClient.Builder http = Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS);
        if (address.endpoint().filter(uri -> uri.getScheme().equals("http")).isPresent()) {
            // no connection to a plain-HTTP endpoint is TLS: setting none up spares a start the JDK's TLS context
            http.tlsSocketStrategy(S3Connection::noTls);
        }
        S3ClientBuilder client = S3Client.builder()
                .region(Region.of(address.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(address.pathStyle())
                .dualstackEnabled(address.dualStack())
                .accelerate(address.accelerate())
                .fipsEnabled(address.fips())
                .httpClient(http.buildWithDefaults(AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, skipVerify).build()))
                // the content is checked by its digest; S3's own checksums would hash every byte again
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        userAgent.ifPresent(suffix -> client.overrideConfiguration(o -> o.putAdvancedOption(
                SdkAdvancedClientOption.USER_AGENT_SUFFIX, suffix)));
        address.endpoint().ifPresent(client::endpointOverride);
        return new S3Connection(client.build(), () -> presigner(address, credentials));
    }

    /** The TLS of a client whose endpoint is plain HTTP: none, should a connection ever ask for it. */
    private static SSLSocket noTls(Socket socket, String host, int port, Object attachment, HttpContext context)
            throws SSLException {
        throw new SSLException("no TLS to " + host + ":" + port
                + ": storage.s3.regionendpoint is plain HTTP, and the S3 client is set up without TLS");
    }

    /**
     * The SDK asks JAXP for a new XML reader factory for every answer it parses (each listing, each error); unless a
     * system property names the factory, JAXP looks through every jar on the class path for one each time, about a
     * tenth of the CPU of a listing. None of Berth's jars offers one, so naming the JDK's own changes nothing but that.
     * A factory the operator names is kept.
     */
    static void nameTheJdksXmlFactory() {
        if (System.getProperty(XMLInputFactory.class.getName()) == null) {
            System.setProperty(XMLInputFactory.class.getName(),
                    XMLInputFactory.newDefaultFactory().getClass().getName());
        }
    }

    private static S3Presigner presigner(S3Address address, AwsCredentialsProvider credentials) {
        S3Presigner.Builder presigner = S3Presigner.builder()
                .region(Region.of(address.region()))
                .credentialsProvider(credentials)
                .dualstackEnabled(address.dualStack())
                .fipsEnabled(address.fips())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(address.pathStyle())
                        .accelerateModeEnabled(address.accelerate()).build());
        address.redirectEndpoint().or(address::endpoint).ifPresent(presigner::endpointOverride);
        return presigner.build();
    }
}
