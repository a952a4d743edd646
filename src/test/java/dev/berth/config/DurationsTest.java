package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsDistributionsDurations() {
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("168h")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("2s500ms")).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void refusesAnythingElse() {
        for (String text : new String[] {"", "1", "-1h", "1d", "h", "1.5h", "1 h"}) {
            assertThatThrownBy(() -> Durations.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
