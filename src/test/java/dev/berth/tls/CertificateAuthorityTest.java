package dev.berth.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

    private static final Instant NOW = Instant.parse("2026-08-01T12:00:00Z");

    private final CertificateAuthority authority = CertificateAuthority.create("Berth test CA", NOW);

    @Test
    void isASelfSignedAuthorityForTenYears() throws Exception {
        X509Certificate ca = authority.certificate();

        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getSubjectX500Principal().getName()).contains("CN=Berth test CA");
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(NOW.plus(CertificateAuthority.CA_VALIDITY));
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void issuesServerCertificatesNamingEveryHostAndAddress() throws Exception {
        CertifiedKey server = authority.issueServerCertificate(
                List.of("registry.test", "*.apps.test", "192.168.1.10", "::1"), NOW);
        X509Certificate leaf = server.certificate();

        assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "registry.test"), List.of(2, "*.apps.test"), List.of(7, "192.168.1.10"),
                List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=registry.test");
        assertThat(server.chain()).containsExactly(leaf, authority.certificate());
        assertThat(authority.issued(leaf)).isTrue();
    }

    @Test
    void issuesCertificatesThatValidateAgainstTheAuthorityAlone() throws Exception {
        X509Certificate leaf = authority.issueServerCertificate(List.of("registry.test"), NOW).certificate();
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(authority.certificate(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(NOW.plus(Duration.ofDays(1))));

        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    @Test
    void issuesForTwoYearsButNeverBeyondTheAuthority() {
        Instant late = NOW.plus(CertificateAuthority.CA_VALIDITY).minus(Duration.ofDays(100));

        assertThat(authority.issueServerCertificate(List.of("a.test"), NOW).certificate().getNotAfter().toInstant())
                .isEqualTo(NOW.plus(CertificateAuthority.SERVER_VALIDITY));
        assertThat(authority.issueServerCertificate(List.of("a.test"), late).certificate().getNotAfter())
                .isEqualTo(authority.certificate().getNotAfter());
    }

    @Test
    void tellsItsOwnCertificatesFromAnotherAuthoritys() {
        CertificateAuthority other = CertificateAuthority.create("other", NOW);

        assertThat(authority.issued(other.issueServerCertificate(List.of("a.test"), NOW).certificate())).isFalse();
    }

    @Test
    void refusesACertificateThatIsNoAuthority() {
        CertifiedKey server = authority.issueServerCertificate(List.of("a.test"), NOW);

        assertThatThrownBy(() -> new CertificateAuthority(server)).isInstanceOf(TlsException.class)
                .hasMessageContaining("is not a certificate authority");
    }
}
