package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launchers' guess of a configuration's storage and TLS ({@code image/storage-guess.sh}, sourced by
 * {@code ./berth} in bash and by the image's {@code berth} in a POSIX shell), which picks the start-up cache a server
 * starts from.
 */
class StorageGuessTest {

    @TempDir
    Path dir;

    /**
     * {@code guess_WHAT serve FILE} with FILE holding {@code config} (none when null), in {@code shell}: the value it
     * sets, {@code $storage} or {@code $tls}.
     */
    private String guess(String shell, String what, String config, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path file = dir.resolve("config.yml");
        if (config != null) {
            Files.writeString(file, config);
        }
        ProcessBuilder builder = new ProcessBuilder(shell, "-c",
                ". image/storage-guess.sh && guess_" + what + " serve \"$0\" && echo \"$" + what + "\"",
                file.toString());
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().putAll(environment);
        Process process = builder.redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    private String guess(String shell, String config, Map<String, String> environment)
            throws IOException, InterruptedException {
        return guess(shell, "storage", config, environment);
    }

    private String guess(String shell, String config) throws IOException, InterruptedException {
        return guess(shell, config, Map.of());
    }

    private String tls(String shell, String config, Map<String, String> environment)
            throws IOException, InterruptedException {
        return guess(shell, "tls", config, environment);
    }

    private String tls(String shell, String config) throws IOException, InterruptedException {
        return tls(shell, config, Map.of());
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

    @ParameterizedTest
    @ValueSource(strings = {"bash", "sh"})
    void aFileTurnsTlsOnWithACertificateOrSelfManagedCertificates(String shell) throws Exception {
        assertThat(tls(shell, "version: 0.1\nhttp:\n  addr: :5000\n  tls:\n    certificate: /c.crt\n"))
                .isEqualTo("1");
        assertThat(tls(shell, "http: {addr: ':5000', tls: {certificate: /c.crt, key: /c.key}}\n")).isEqualTo("1");
        assertThat(tls(shell, "berth:\n  tls:\n    selfmanaged:\n      hosts: [a]\n      enabled: true\n"))
                .isEqualTo("1");
        assertThat(tls(shell, "berth:\n  tls:\n    selfmanaged: {enabled: true, hosts: [a]}\n")).isEqualTo("1");
        assertThat(tls(shell, "berth: {tls: {selfmanaged: {enabled: true, hosts: [a]}}}\n")).isEqualTo("1");
        assertThat(tls(shell, "http:\n  addr: :5000\n  # tls:\n  #   certificate: /c.crt\n")).isEqualTo("0");
        assertThat(tls(shell, "berth:\n  tls:\n    selfmanaged:\n      enabled: false\n  ui:\n    enabled: true\n"))
                .isEqualTo("0");
        assertThat(tls(shell, "auth:\n  token:\n    certificate: x\nhttp: {addr: ':5000'}\n")).isEqualTo("0");
        assertThat(tls(shell, null)).isEqualTo("0");
    }

    @ParameterizedTest
    @CsvSource({
        "REGISTRY_HTTP_TLS_CERTIFICATE, /c.crt, 1",
        "REGISTRY_BERTH_TLS_SELFMANAGED_ENABLED, true, 1",
        "REGISTRY_BERTH_TLS_SELFMANAGED_ENABLED, false, 0",
        "REGISTRY_HTTP_ADDR, :5000, 0"})
    void theEnvironmentTurnsTlsOnAsTheServerReadsIt(String variable, String value, String tls) throws Exception {
        for (String shell : List.of("bash", "sh")) {
            assertThat(tls(shell, "http:\n  addr: :5000\n", Map.of(variable, value))).as(shell).isEqualTo(tls);
        }
    }
}
