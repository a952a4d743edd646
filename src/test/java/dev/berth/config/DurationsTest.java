package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsGoDurations() {
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parse("168h")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(Durations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(Durations.parse("0.25h")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("1.000000001s")).isEqualTo(Duration.ofNanos(1_000_000_001));
        assertThat(Durations.parse("2562047h")).isEqualTo(Duration.ofHours(2_562_047));
        // distribution reads a bare number as nanoseconds
        assertThat(Durations.parse("5000")).isEqualTo(Duration.ofNanos(5000));
    }

    @Test
    void refusesAnythingElse() {
        // the last three are longer than Go's (and Java's) nanosecond count can hold
        for (String text : new String[] {"", "-1s", "1d", "s", "1 h", "1h-", "2562048h", "2562047h48m",
            "99999999999999999999"}) {
            assertThatThrownBy(() -> Durations.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
