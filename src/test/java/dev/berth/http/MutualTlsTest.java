package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.tls.CertificateAuthority;
import dev.berth.tls.CertifiedKey;
import dev.berth.tls.TestCertificates;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client certificates checked against {@code http.tls.clientcas}, in distribution's four {@code clientauth} modes. */
class MutualTlsTest {

    @RegisterExtension
    final HttpsRegistry registry = new HttpsRegistry();

    private void start(TlsOptions.ClientAuth clientAuth) throws Exception {
        TlsOptions defaults = registry.defaults();
        registry.start(new TlsOptions(defaults.certificate(), defaults.key(),
                List.of(registry.files().authorityFile()), clientAuth, defaults.protocols(),
                defaults.cipherSuites(), defaults.http2(), defaults.authorityPem(), defaults.reloadInterval()));
    }

    private CertifiedKey trusted() {
        return TestCertificates.clientCertificate(registry.authority(), "ci-runner");
    }

    private static CertifiedKey foreign() {
        return TestCertificates.clientCertificate(CertificateAuthority.create("another CA", Instant.now()), "mallory");
    }

    private int status(HttpsRegistry.Client client) throws Exception {
        return client.get("/v2/").statusCode();
    }

    @Test
    void requireAndVerifyRefusesAClientWithoutACertificateOrWithAForeignOne() throws Exception {
        start(TlsOptions.ClientAuth.REQUIRE_AND_VERIFY);

        assertThatThrownBy(() -> status(registry.client())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> status(registry.client().presenting(foreign()))).isInstanceOf(IOException.class);
        assertThat(status(registry.client().presenting(trusted()))).isEqualTo(200);
    }

    @Test
    void requireAndVerifyHoldsOverHttp11Too() throws Exception {
        start(TlsOptions.ClientAuth.REQUIRE_AND_VERIFY);

        assertThatThrownBy(() -> status(registry.client().version(HttpClient.Version.HTTP_1_1)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void verifyIfGivenLetsClientsWithoutACertificateIn() throws Exception {
        start(TlsOptions.ClientAuth.VERIFY_IF_GIVEN);

        assertThat(status(registry.client())).isEqualTo(200);
        assertThat(status(registry.client().presenting(trusted()))).isEqualTo(200);
        assertThatThrownBy(() -> status(registry.client().presenting(foreign()))).isInstanceOf(IOException.class);
    }

    @Test
    void requireAnyNeedsACertificateButDoesNotCheckIt() throws Exception {
        start(TlsOptions.ClientAuth.REQUIRE);

        assertThatThrownBy(() -> status(registry.client())).isInstanceOf(IOException.class);
        assertThat(status(registry.client().presenting(foreign()))).isEqualTo(200);
    }

    @Test
    void requestTakesAnyClient() throws Exception {
        start(TlsOptions.ClientAuth.REQUEST);

        assertThat(status(registry.client())).isEqualTo(200);
        assertThat(status(registry.client().presenting(foreign()))).isEqualTo(200);
    }
}
