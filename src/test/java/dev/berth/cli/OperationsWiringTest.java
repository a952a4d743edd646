package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.NotificationSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperationsWiringTest {

    private static NotificationSettings.Endpoint endpoint(String name, String url) {
        return new NotificationSettings.Endpoint(name, URI.create(url), Map.of(), Duration.ofSeconds(1), 10,
                Duration.ofSeconds(1), Set.of(), Set.of());
    }

    /** Metrics label endpoints by these names, and a scrape fails outright when two series are labelled alike. */
    @Test
    void namesEveryNotificationEndpointApart() {
        assertThat(OperationsWiring.endpointNames(List.of(endpoint("audit", "http://a.example/"),
                endpoint("", "http://b.example/events"), endpoint("hook", "http://c.example/"),
                endpoint("hook", "http://d.example/"), endpoint("", "http://b.example/other"))))
                .containsExactly("audit", "b.example #2", "hook #3", "hook #4", "b.example #5");
        assertThat(OperationsWiring.endpointNames(List.of(endpoint("hook #2", "http://a.example/"),
                endpoint("hook", "http://b.example/"), endpoint("hook", "http://c.example/"))))
                .doesNotHaveDuplicates().containsExactly("hook #2", "hook #2#", "hook #3");
    }
}
