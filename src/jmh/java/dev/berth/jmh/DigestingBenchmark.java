package dev.berth.jmh;

import dev.berth.oci.DigestAlgorithm;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SHA-256 over upload-sized buffers, as the upload path hashes them: Jetty's direct buffers (what the server
 * does now) against heap arrays (what the InputStream path did). Throughput in buffers per second; multiply by
 * the size for bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DigestingBenchmark {

    @Param({"65536", "1048576"})
    int size;

    private byte[] heap;
    private ByteBuffer direct;
    private MessageDigest sha256;

    @Setup
    public void setUp() {
        heap = new byte[size];
        ThreadLocalRandom.current().nextBytes(heap);
        direct = ByteBuffer.allocateDirect(size).put(heap).flip();
        sha256 = DigestAlgorithm.SHA256.newMessageDigest();
    }

    @Benchmark
    public byte[] heapArray() {
        sha256.update(heap, 0, heap.length);
        return sha256.digest();
    }

    @Benchmark
    public byte[] directBuffer() {
        sha256.update(direct.duplicate());
        return sha256.digest();
    }
}
