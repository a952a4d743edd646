package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The serial collector's old generation, collected once promoted garbage has grown it by the headroom: each case
 * runs {@link OldGenerationLimitProbe} in a JVM of its own, as the collector is chosen when a JVM starts.
 */
class OldGenerationLimitTest {

    private static final List<String> SERIAL = List.of("-XX:+UseSerialGC", "-Xmx64m", "-Xmn8m",
            "-XX:MaxTenuringThreshold=0");

    private static String probe(List<String> jvmOptions, String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                OldGenerationLimitProbe.class.getName(), mode));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(l -> l.startsWith("full=")).findFirst().orElseThrow();
    }

    private static long figure(String line, String name) {
        for (String field : line.split(" ")) {
            if (field.startsWith(name + "=")) {
                return Long.parseLong(field.substring(name.length() + 1));
            }
        }
        throw new AssertionError(name + " not in " + line);
    }

    @Test
    void theSerialCollectorAloneLeavesPromotedGarbageInTheOldGeneration() throws Exception {
        String line = probe(SERIAL, "none");

        assertThat(figure(line, "full")).as(line).isZero();
        assertThat(figure(line, "mostMiB")).as(line).isGreaterThanOrEqualTo(20);
    }

    @Test
    void withTheLimitTheOldGenerationIsCollectedOnceItHasGrownByTheHeadroom() throws Exception {
        String line = probe(SERIAL, "limit");

        assertThat(figure(line, "full")).as(line).isGreaterThanOrEqualTo(3);
        assertThat(figure(line, "mostMiB")).as(line).isLessThan(20);
    }

    @Test
    void otherCollectorsAreLeftAlone() throws Exception {
        String line = probe(List.of("-XX:+UseG1GC", "-Xmx64m", "-XX:MaxTenuringThreshold=0"), "limit");

        assertThat(figure(line, "full")).as(line).isZero();
    }
}
