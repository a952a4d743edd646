package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launchers' guess of a configuration's storage ({@code image/storage-guess.sh}, sourced by {@code ./berth} in
 * bash and by the image's {@code berth} in a POSIX shell), which picks the start-up cache a server starts from.
 */
class StorageGuessTest {

    @TempDir
    Path dir;

    /** {@code guess_storage serve FILE} with FILE holding {@code config} (none when null), in {@code shell}. */
    private String guess(String shell, String config, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path file = dir.resolve("config.yml");
        if (config != null) {
            Files.writeString(file, config);
        }
        ProcessBuilder builder = new ProcessBuilder(shell, "-c",
                ". image/storage-guess.sh && guess_storage serve \"$0\" && echo \"$storage\"", file.toString());
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().putAll(environment);
        Process process = builder.redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    private String guess(String shell, String config) throws IOException, InterruptedException {
        return guess(shell, config, Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "sh"})
    void aFileNamesS3InItsStorageSectionBlockOrFlow(String shell) throws Exception {
        assertThat(guess(shell, "version: 0.1\nstorage:\n  s3:\n    bucket: b\nhttp:\n  addr: :5000\n")).isEqualTo("s3");
        assertThat(guess(shell, "storage:\n  delete: {enabled: true}\n  \"s3\":\n    bucket: b")).isEqualTo("s3");
        assertThat(guess(shell, "storage: {delete: {enabled: true}, s3: {bucket: b}}\n")).isEqualTo("s3");
        assertThat(guess(shell, "storage:\n  filesystem:\n    rootdirectory: /srv/s3:x\n")).isEqualTo("filesystem");
        assertThat(guess(shell, "storage:\n  # s3:\n  filesystem: {}\n")).isEqualTo("filesystem");
        assertThat(guess(shell, "storage:\n  filesystem: {}\nhttp:\n  s3: x\n")).isEqualTo("filesystem");
        assertThat(guess(shell, null)).isEqualTo("filesystem");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "sh"})
    void theEnvironmentOverridesTheFileAsTheServerReadsIt(String shell) throws Exception {
        String filesystem = "storage:\n  filesystem: {rootdirectory: /srv}\n";
        String s3 = "storage:\n  s3: {bucket: b}\n";
        assertThat(guess(shell, filesystem, Map.of("REGISTRY_STORAGE", "s3"))).isEqualTo("s3");
        assertThat(guess(shell, s3, Map.of("REGISTRY_STORAGE", "filesystem"))).isEqualTo("filesystem");
        assertThat(guess(shell, filesystem, Map.of("REGISTRY_STORAGE_S3_BUCKET", "b"))).isEqualTo("s3");
        assertThat(guess(shell, filesystem, Map.of("NOT_REGISTRY_STORAGE_S3_BUCKET", "b"))).isEqualTo("filesystem");
    }
}
