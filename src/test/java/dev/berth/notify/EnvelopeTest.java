package dev.berth.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.http.ContentEvent;
import dev.berth.http.ContentEvent.Action;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An envelope's bytes: distribution's fields in distribution's order, what an event lacks left out. */
class EnvelopeTest {

    private static final Digest DIGEST = Digest.parse("sha256:" + "ab".repeat(32));
    private static final Digest LAYER = Digest.parse("sha256:" + "1a".repeat(32));
    private static final Source SOURCE = new Source("registry.example:5000", "0a5dd254-bf52-4a6e-8b6e-4e74cfeb3711");
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00.123456789Z");

    private static String envelope(ContentEvent content, Event.Request request, List<Descriptor> references) {
        return new String(Envelope.of(new Event("e1", NOW, content, request, references, 0), SOURCE),
                StandardCharsets.UTF_8);
    }

    @Test
    void writesEveryFieldOfAPushInDistributionsOrder() {
        Descriptor layer = new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", LAYER, 11,
                List.of("https://example.com/l"), Map.of("z", "1", "a", "\"quoted\""), Optional.empty());
        ContentEvent pushed = new ContentEvent(Action.PUSH, RepositoryName.parse("team/app"), Optional.of(DIGEST),
                Optional.of("application/vnd.oci.image.manifest.v1+json"), 416, Optional.of(new Tag("v1")),
                Optional.of(RepositoryName.parse("team/base")), Optional.of("http://127.0.0.1:5000/v2/team/app"),
                Optional.empty());
        Event.Request request = new Event.Request("r1", "127.0.0.1:40123", "127.0.0.1:5000", "PUT", "docker/27.0",
                Optional.of("xiaofei"));

        assertThat(envelope(pushed, request, List.of(layer))).isEqualTo(("{\"events\":[{\"id\":\"e1\","
                + "\"timestamp\":\"2026-11-30T12:00:00.123456789Z\",\"action\":\"push\",\"target\":{"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":416,\"digest\":\"%s\","
                + "\"length\":416,\"repository\":\"team/app\",\"fromRepository\":\"team/base\","
                + "\"url\":\"http://127.0.0.1:5000/v2/team/app\",\"tag\":\"v1\",\"references\":[{"
                + "\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"size\":11,\"digest\":\"%s\","
                + "\"urls\":[\"https://example.com/l\"],\"annotations\":{\"a\":\"\\\"quoted\\\"\",\"z\":\"1\"}}]},"
                + "\"request\":{\"id\":\"r1\",\"addr\":\"127.0.0.1:40123\",\"host\":\"127.0.0.1:5000\","
                + "\"method\":\"PUT\",\"useragent\":\"docker/27.0\"},\"actor\":{\"name\":\"xiaofei\"},"
                + "\"source\":{\"addr\":\"registry.example:5000\","
                + "\"instanceID\":\"0a5dd254-bf52-4a6e-8b6e-4e74cfeb3711\"}}]}").formatted(DIGEST, LAYER));
    }

    @Test
    void leavesOutWhatADeletionDoesNotTell() {
        ContentEvent untagged = new ContentEvent(Action.DELETE, RepositoryName.parse("app"), Optional.empty(),
                Optional.empty(), 0, Optional.of(new Tag("old")), Optional.empty(), Optional.empty(),
                Optional.empty());
        Event.Request request = new Event.Request("r2", "::1", "", "DELETE", "", Optional.empty());

        assertThat(envelope(untagged, request, List.of())).isEqualTo("{\"events\":[{\"id\":\"e1\","
                + "\"timestamp\":\"2026-11-30T12:00:00.123456789Z\",\"action\":\"delete\","
                + "\"target\":{\"repository\":\"app\",\"tag\":\"old\"},"
                + "\"request\":{\"id\":\"r2\",\"addr\":\"::1\",\"method\":\"DELETE\",\"useragent\":\"\"},"
                + "\"actor\":{},\"source\":{\"addr\":\"registry.example:5000\","
                + "\"instanceID\":\"0a5dd254-bf52-4a6e-8b6e-4e74cfeb3711\"}}]}");
    }
}
