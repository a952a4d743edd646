package dev.berth.jmh;

import dev.berth.api.Route;
import dev.berth.api.RouteParser;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.Keys;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** What every request does before it touches storage: parse its route, build and check its storage keys. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PathsBenchmark {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    private final RepositoryName repository = RepositoryName.parse("library/nginx-base");
    private final Tag tag = Tag.parse("v1.27.3");
    private final Digest digest = Digest.parse(DIGEST);
    private final String key = Layout.key(new StoragePath.TagCurrentLink(repository, tag));

    @Benchmark
    public Route manifestByTagRoute() {
        return RouteParser.parse("/v2/library/nginx-base/manifests/v1.27.3");
    }

    @Benchmark
    public Route blobRoute() {
        return RouteParser.parse("/v2/library/nginx-base/blobs/" + DIGEST);
    }

    @Benchmark
    public Digest parseDigest() {
        return Digest.parse(DIGEST);
    }

    @Benchmark
    public String tagLinkKey() {
        return Layout.key(new StoragePath.TagCurrentLink(repository, tag));
    }

    @Benchmark
    public String blobDataKey() {
        return Layout.key(new StoragePath.BlobData(digest));
    }

    @Benchmark
    public String checkKey() {
        return Keys.check(key);
    }
}
