package dev.berth.jmh;

import dev.berth.oci.Manifest;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Parsing and validating an image manifest (every push), and finding a stored one's media type (pulls). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ManifestParsingBenchmark {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private final byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + DIGEST
            + "\",\"size\":1234},\"layers\":["
            + ("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + DIGEST
            + "\",\"size\":1048576},").repeat(4)
            + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + DIGEST
            + "\",\"size\":1048576}],\"annotations\":{\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\"}}")
            .getBytes(StandardCharsets.UTF_8);

    @Benchmark
    public Manifest parseAndValidate() {
        return ManifestParser.parse(manifest, MediaType.OCI_MANIFEST);
    }

    @Benchmark
    public String storedMediaType() {
        return ManifestParser.storedMediaType(manifest);
    }
}
