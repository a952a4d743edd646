package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BodiesTest {

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).replace('"', '\'');
    }

    @Test
    void writesListingsAndEscapesStrings() {
        assertThat(text(Bodies.tagList("team/app", List.of("v1", "latest"))))
                .isEqualTo("{'name':'team/app','tags':['v1','latest']}");
        assertThat(text(Bodies.tagList("team/app", List.of()))).isEqualTo("{'name':'team/app','tags':[]}");
        assertThat(text(Bodies.catalog(List.of("a", "b/c")))).isEqualTo("{'repositories':['a','b/c']}");
        assertThat(text(Bodies.healthChecks(Map.of("storage", "probe \"failed\""))))
                .isEqualTo("{'storage':'probe \\'failed\\''}");
    }

    @Test
    void listingsWrittenAtOnceOnManyVirtualThreadsKeepTheirOwnContent() throws Exception {
        // the generators' buffers come from a pool shared by all threads: none may be handed to two at once
        int writers = 256;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                // up to 1,000 tags: a body larger than a generator's 8,000-byte buffer, which it flushes on the way
                List<String> tags = IntStream.range(0, 1 + w * 4).mapToObj(t -> "w" + t).toList();
                String name = "team/app" + w;
                String expected = "{'name':'" + name + "','tags':["
                        + tags.stream().map(t -> "'" + t + "'").collect(Collectors.joining(",")) + "]}";
                results.add(threads.submit(() -> {
                    start.await();
                    return text(Bodies.tagList(name, tags)).equals(expected);
                }));
            }
            start.countDown();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
    }

    @Test
    void writesTheErrorEnvelopeWithADetailOnlyWhenThereIsOne() {
        assertThat(text(Bodies.error(ErrorCode.BLOB_UNKNOWN, "blob \"sha256:ab\" unknown"))).isEqualTo(
                "{'errors':[{'code':'BLOB_UNKNOWN','message':'" + ErrorCode.BLOB_UNKNOWN.message()
                        + "','detail':'blob \\'sha256:ab\\' unknown'}]}");
        String bare = "{'errors':[{'code':'UNKNOWN','message':'" + ErrorCode.UNKNOWN.message() + "'}]}";
        assertThat(text(Bodies.error(ErrorCode.UNKNOWN, null))).isEqualTo(bare);
        assertThat(text(Bodies.error(ErrorCode.UNKNOWN, ""))).isEqualTo(bare);
    }

    @Test
    void writesReferrersAsAnImageIndex() {
        Digest first = Digest.sha256("first".getBytes(StandardCharsets.UTF_8));
        Digest second = Digest.sha256("second".getBytes(StandardCharsets.UTF_8));
        String body = text(Bodies.referrers(List.of(
                new Descriptor("application/vnd.oci.image.manifest.v1+json", first, 10, List.of(),
                        Map.of("k", "v"), Optional.of("application/x-sbom")),
                new Descriptor("application/vnd.oci.image.index.v1+json", second, 20))));
        assertThat(body).isEqualTo("{'schemaVersion':2,'mediaType':'application/vnd.oci.image.index.v1+json',"
                + "'manifests':[{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" + first
                + "','size':10,'artifactType':'application/x-sbom','annotations':{'k':'v'}},"
                + "{'mediaType':'application/vnd.oci.image.index.v1+json','digest':'" + second + "','size':20}]}");
    }

    @Test
    void writesTokensAndFlatObjectsInOrder() {
        assertThat(text(Bodies.token("t0k", 300, "2026-11-28T00:00:00Z"))).isEqualTo(
                "{'token':'t0k','access_token':'t0k','expires_in':300,'issued_at':'2026-11-28T00:00:00Z'}");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("blobsDeleted", 3);
        fields.put("bytesFreed", 1L << 40);
        fields.put("duration", "PT1S");
        assertThat(text(Bodies.object(fields))).isEqualTo("{'blobsDeleted':3,'bytesFreed':1099511627776,"
                + "'duration':'PT1S'}");
    }
}
