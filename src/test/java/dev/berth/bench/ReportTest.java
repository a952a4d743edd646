package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void ratesCountOnlyPassedRequests() {
        Result.Rate rate = new Result.Rate("HEAD", 1000, 2.0, 1.5, 9.0, 3, List.of("boom"));
        assertThat(rate.perSecond()).isEqualTo(500.0);
        assertThat(rate.passed()).isFalse();
        assertThat(Report.describe(rate)).contains("500 req/s").contains("3 FAILED").contains("boom");
        assertThat(new Result.Throughput("push", 2_000_000_000L, 2.0).megabytesPerSecond()).isEqualTo(1000.0);
    }

    @Test
    void failuresShowNoSpeed() {
        Result failed = new Result.Failed("push 1 GiB monolithic", "PUT upload: expected 201, got 400");
        assertThat(failed.passed()).isFalse();
        assertThat(Report.table(List.of(failed))).contains("FAILED: PUT upload").doesNotContain("MB/s");
        assertThat(Report.json(List.of(failed))).contains("\"passed\":false").doesNotContain("mb_per_s");
    }

    @Test
    void jsonEscapesText() {
        assertThat(Report.quote("a \"b\"\n\\c\u0001")).isEqualTo("\"a \\\"b\\\"\\n\\\\c\\u0001\"");
        String json = Report.json(List.of(new Result.Rate("x", 10, 1.0, 1, 2, 1, List.of("say \"hi\""))));
        assertThat(json).contains("\"errors\":[\"say \\\"hi\\\"\"]").contains("\"req_per_s\":10.0");
    }

    @Test
    void sizesUseTheLargestWholeUnit() {
        assertThat(Report.size(1L << 30)).isEqualTo("1 GiB");
        assertThat(Report.size(64L << 20)).isEqualTo("64 MiB");
        assertThat(Report.size(1536L << 10)).isEqualTo("1536 KiB");
        assertThat(Report.size(1000)).isEqualTo("1000 B");
    }

    @Test
    void optionsRefuseARegistryOffThisMachine() {
        assertThatThrownBy(() -> Options.defaults(new InetSocketAddress("192.0.2.1", 5000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
        assertThat(Options.defaults(new InetSocketAddress("127.0.0.1", 5000)).workloads())
                .containsExactly(Workload.values());
    }
}
