package dev.berth.bench;

import dev.berth.oci.InvalidNameException;
import dev.berth.oci.RepositoryName;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a run is shaped; {@link #defaults} gives the workloads.
 *
 * @param address     the registry, on a loopback address
 * @param tls         how to speak TLS to it, when it is served over {@code https}
 * @param credentials {@code user:password} for Basic authentication, or empty for none
 * @param namespace   where the run's repositories go ({@code <namespace>/bench-<run>/...}), for registries whose
 *                    access rules give each user a namespace of their own; empty for the top level
 * @param blobSize    size of the large blob (push, chunked, pull)
 * @param chunkSize   size of each PATCH of the chunked push
 * @param duration    how long each kind of small request is measured
 * @param warmup      how long each kind of small request runs, unmeasured, before that; unless zero, the images
 *                    workload also runs one unrecorded round first
 * @param connections concurrent connections for small requests
 * @param tags        tags of the repository whose list is fetched
 * @param images      images of the images workload, each of {@code layers} layers of {@code layerSize} bytes
 * @param workers     concurrent workers pushing and pulling images
 */
public record Options(InetSocketAddress address, Optional<TlsClient> tls, String credentials, String namespace,
                      List<Workload> workloads, long blobSize, int chunkSize, Duration duration, Duration warmup,
                      int connections, int tags, int images, int layers, int layerSize, int workers) {

    public static final long GIB = 1L << 30;
    public static final int MIB = 1 << 20;

    public Options {
        workloads = List.copyOf(workloads);
        if (!namespace.isEmpty()) {
            try {
                RepositoryName.parse(namespace + "/bench");
            } catch (InvalidNameException e) {
                throw new IllegalArgumentException("the namespace must be the start of a repository name "
                        + "(lower-case components separated by /), not " + namespace);
            }
        }
        if (blobSize <= 0 || blobSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the blob size must be between 1 byte and 2 GiB - 1");
        }
        if (chunkSize <= 0 || connections <= 0 || tags <= 0 || images <= 0 || layers <= 0 || layerSize <= 0
                || workers <= 0) {
            throw new IllegalArgumentException("sizes and counts must be positive");
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative()) {
            throw new IllegalArgumentException("the duration must be positive");
        }
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the benchmark runs against a registry on this machine only "
                    + "(a loopback address such as 127.0.0.1), not " + address.getHostString());
        }
    }

    public static Options defaults(InetSocketAddress address) {
        return new Options(address, Optional.empty(), "", "", List.of(Workload.values()), GIB, 64 * MIB, Duration.ofSeconds(10),
                Duration.ofSeconds(2), 64, 100, 32, 5, MIB, 8);
    }

    /** A new connection to the registry, not yet opened. */
    HttpConnection connection() {
        return new HttpConnection(address, tls);
    }

    public boolean authenticated() {
        return !credentials.isEmpty();
    }
}
