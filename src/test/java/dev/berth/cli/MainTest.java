package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void onlyServeWithAtMostAConfigFileSkipsPicocli() {
        assertThat(Main.isPlainServe(new String[] {"serve"})).isTrue();
        assertThat(Main.isPlainServe(new String[] {"serve", "config.yml"})).isTrue();
        assertThat(Main.isPlainServe(new String[] {"serve", "--help"})).isFalse();
        assertThat(Main.isPlainServe(new String[] {"serve", "-h"})).isFalse();
        assertThat(Main.isPlainServe(new String[] {"serve", ""})).isFalse();
        assertThat(Main.isPlainServe(new String[] {"serve", "a.yml", "b.yml"})).isFalse();
        assertThat(Main.isPlainServe(new String[] {"version"})).isFalse();
        assertThat(Main.isPlainServe(new String[0])).isFalse();
    }

    @Test
    void theTrainingOfEachKindSkipsPicocliToo() {
        assertThat(AotTrainingCommand.plain(new String[] {"aot-training"})).get()
                .extracting(training -> training.kind).isEqualTo(AotTrainingCommand.Kind.filesystem);
        assertThat(AotTrainingCommand.plain(new String[] {"aot-training", "s3"})).get()
                .extracting(training -> training.kind).isEqualTo(AotTrainingCommand.Kind.s3);
        assertThat(AotTrainingCommand.plain(new String[] {"aot-training", "tls"})).get()
                .extracting(training -> training.kind).isEqualTo(AotTrainingCommand.Kind.tls);
        assertThat(AotTrainingCommand.plain(new String[] {"aot-training", "azure"})).isEmpty();
        assertThat(AotTrainingCommand.plain(new String[] {"aot-training", "--help"})).isEmpty();
        assertThat(AotTrainingCommand.plain(new String[] {"aot-training", "s3", "x"})).isEmpty();
        assertThat(AotTrainingCommand.plain(new String[] {"serve"})).isEmpty();
        assertThat(AotTrainingCommand.plain(new String[0])).isEmpty();
    }

    @Test
    void aZoneWithUtcsRulesIsNamedUtcAndAnyOtherKeptAsItIs() {
        assertThat(Main.utcNamedAsSuch(TimeZone.getTimeZone("Etc/UTC")).getID()).isEqualTo("UTC");
        assertThat(Main.utcNamedAsSuch(TimeZone.getTimeZone("Etc/UCT")).getID()).isEqualTo("UTC");
        assertThat(Main.utcNamedAsSuch(TimeZone.getTimeZone("UTC")).getID()).isEqualTo("UTC");

        TimeZone berlin = Main.utcNamedAsSuch(TimeZone.getTimeZone("Europe/Berlin"));
        assertThat(berlin.getID()).isEqualTo("Europe/Berlin");
        assertThat(berlin.getOffset(Instant.parse("2026-07-01T00:00:00Z").toEpochMilli())).isEqualTo(2 * 3_600_000);
        // at UTC's offset now, but not in its past (local mean time until 1912): its own rules stay
        assertThat(Main.utcNamedAsSuch(TimeZone.getTimeZone("Africa/Abidjan")).getID()).isEqualTo("Africa/Abidjan");
    }
}
