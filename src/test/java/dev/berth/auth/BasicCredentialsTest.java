package dev.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BasicCredentialsTest {

    private static Optional<String> basic(String userColonPassword) {
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(
                userColonPassword.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsUserAndPasswordSplittingAtTheFirstColon() {
        assertThat(BasicCredentials.parse(basic("xiaofei:12:34"))).contains(new BasicCredentials("xiaofei", "12:34"));
        assertThat(BasicCredentials.parse(Optional.of("basic " + basic("u:").orElseThrow().substring(6))))
                .contains(new BasicCredentials("u", ""));
        assertThat(BasicCredentials.parse(Optional.empty())).isEmpty();
        assertThat(BasicCredentials.parse(basic(":"))).as("anonymous, as skopeo sends it").isEmpty();
    }

    @Test
    void refusesMalformedHeaders() {
        for (Optional<String> header : java.util.List.of(Optional.of("Basic !!!"), basic("nocolon"), basic(":pw"),
                Optional.of("Bearer abc"), Optional.of("Basic"), Optional.of("Digest x"))) {
            assertThatThrownBy(() -> BasicCredentials.parse(header)).as(header.get())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(new BasicCredentials("u", "s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void doublesTheThrottleDelayUpToACap() {
        assertThat(FailureThrottle.delay(3)).isZero();
        assertThat(FailureThrottle.delay(4).toMillis()).isEqualTo(200);
        assertThat(FailureThrottle.delay(5).toMillis()).isEqualTo(400);
        assertThat(FailureThrottle.delay(100).toSeconds()).isEqualTo(5);
    }
}
