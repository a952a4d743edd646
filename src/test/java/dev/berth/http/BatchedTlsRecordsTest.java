package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.tls.CertifiedKey;
import dev.berth.tls.SelfManagedTls;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchedTlsRecordsTest {

    private static final int RECORD_DATA = 16 * 1024;
    /** Shaped as the server's pool: buckets of powers of two. */
    private static final ByteBufferPool POOL = new ArrayByteBufferPool.Quadratic(0, 512 * 1024, -1, -1, -1);

    @TempDir
    Path directory;
    private SSLEngine server;
    private SSLEngine client;

    @BeforeEach
    void handshake() throws Exception {
        SelfManagedTls files = SelfManagedTls.prepare(directory.resolve("tls"), List.of("127.0.0.1"), Instant.now());
        server = serverContext(CertifiedKey.read(files.certificateFile(), files.keyFile())).createSSLEngine();
        server.setUseClientMode(false);
        client = clientContext(files.authority()).createSSLEngine("127.0.0.1", 443);
        client.setUseClientMode(true);
        shake();
    }

    @Test
    void encryptsAsManyRecordsAsTheBufferHoldsInOneWrap() throws Exception {
        byte[] data = random(100_000);
        ByteBuffer records = ByteBuffer.allocate(BatchedTlsRecords.BATCH_BUFFER);

        SSLEngineResult result = BatchedTlsRecords.wrapRecords(server, new ByteBuffer[] {ByteBuffer.wrap(data)},
                records);

        assertThat(result.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
        assertThat(result.bytesConsumed()).isEqualTo(data.length);
        assertThat(result.bytesProduced()).isEqualTo(records.position());
        assertThat(recordLengths(records.flip())).hasSize((data.length + RECORD_DATA - 1) / RECORD_DATA);
        assertThat(unwrapAll(records)).isEqualTo(data);
    }

    @Test
    void stopsWhereTheBufferHasNoRoomForAWholeRecord() throws Exception {
        byte[] data = random(200_000);
        ByteBuffer input = ByteBuffer.wrap(data);
        ByteBuffer records = ByteBuffer.allocate(BatchedTlsRecords.BATCH_BUFFER);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int wraps = 0;

        while (input.hasRemaining()) {
            records.clear();
            SSLEngineResult result = BatchedTlsRecords.wrapRecords(server, new ByteBuffer[] {input}, records);
            assertThat(result.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
            received.writeBytes(unwrapAll(records.flip()));
            wraps++;
        }

        assertThat(wraps).isEqualTo(2);
        assertThat(received.toByteArray()).isEqualTo(data);
    }

    @Test
    void takesDataFromSeveralBuffersAsOneStream() throws Exception {
        byte[] head = random(300);
        byte[] body = random(40_000);
        ByteBuffer records = ByteBuffer.allocate(BatchedTlsRecords.BATCH_BUFFER);

        BatchedTlsRecords.wrapRecords(server, new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(body)},
                records);

        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(head);
        both.writeBytes(body);
        assertThat(unwrapAll(records.flip())).isEqualTo(both.toByteArray());
    }

    @Test
    void aSmallWriteIsOneRecord() throws Exception {
        ByteBuffer records = ByteBuffer.allocate(BatchedTlsRecords.BATCH_BUFFER);

        BatchedTlsRecords.wrapRecords(server, new ByteBuffer[] {ByteBuffer.wrap(random(100))}, records);

        assertThat(recordLengths(records.flip())).hasSize(1);
    }

    @Test
    void aCloseEndsTheBatchAsTheEngineReportsIt() throws Exception {
        server.closeOutbound();
        ByteBuffer records = ByteBuffer.allocate(BatchedTlsRecords.BATCH_BUFFER);

        SSLEngineResult result = BatchedTlsRecords.wrapRecords(server,
                new ByteBuffer[] {ByteBuffer.wrap(random(50_000))}, records);

        assertThat(result.getStatus()).isEqualTo(SSLEngineResult.Status.CLOSED);
        assertThat(result.bytesConsumed()).isZero();
        assertThat(recordLengths(records.flip())).hasSize(1);
    }

    @Test
    void aWriteOfSeveralRecordsTakesABatchBufferWhileTheBudgetHasOne() {
        Semaphore budget = new Semaphore(2);
        BatchedTlsRecords.Buffers buffers = new BatchedTlsRecords.Buffers(POOL, budget);
        int packet = server.getSession().getPacketBufferSize();

        RetainableByteBuffer single = buffers.acquire(packet, false);
        buffers.batchNext(true);
        RetainableByteBuffer first = buffers.acquire(packet, false);
        buffers.batchNext(true);
        RetainableByteBuffer second = buffers.acquire(packet, false);
        buffers.batchNext(true);
        RetainableByteBuffer beyond = buffers.acquire(packet, false);

        assertThat(single.capacity()).isLessThan(2 * packet);
        assertThat(first.capacity()).isGreaterThanOrEqualTo(BatchedTlsRecords.BATCH_BUFFER);
        assertThat(second.capacity()).isGreaterThanOrEqualTo(BatchedTlsRecords.BATCH_BUFFER);
        assertThat(beyond.capacity()).as("the budget spent: a record at a time").isLessThan(2 * packet);
        assertThat(budget.availablePermits()).isZero();

        first.release();
        buffers.batchNext(true);
        RetainableByteBuffer again = buffers.acquire(packet, false);

        assertThat(again.capacity()).isGreaterThanOrEqualTo(BatchedTlsRecords.BATCH_BUFFER);
        List.of(single, second, beyond, again).forEach(RetainableByteBuffer::release);
        assertThat(budget.availablePermits()).isEqualTo(2);
    }

    @Test
    void onlyTheFirstBufferTakenDuringAFlushIsABatchBuffer() {
        BatchedTlsRecords.Buffers buffers = new BatchedTlsRecords.Buffers(POOL, new Semaphore(4));
        int packet = server.getSession().getPacketBufferSize();

        buffers.batchNext(true);
        RetainableByteBuffer records = buffers.acquire(packet, false);
        RetainableByteBuffer next = buffers.acquire(packet, false);

        assertThat(records.capacity()).isGreaterThanOrEqualTo(BatchedTlsRecords.BATCH_BUFFER);
        assertThat(next.capacity()).isLessThan(2 * packet);
        records.release();
        next.release();
    }

    private static SSLContext serverContext(CertifiedKey identity) throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", identity.key(), password, identity.chain().toArray(Certificate[]::new));
        KeyManagerFactory managers = KeyManagerFactory.getInstance("PKIX");
        managers.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext clientContext(X509Certificate authority) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("authority", authority);
        TrustManagerFactory managers = TrustManagerFactory.getInstance("PKIX");
        managers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, managers.getTrustManagers(), null);
        return context;
    }

    /** The length of each record in {@code records}, read from the record headers (type, version, length). */
    private static List<Integer> recordLengths(ByteBuffer records) {
        List<Integer> lengths = new ArrayList<>();
        ByteBuffer view = records.duplicate();
        while (view.remaining() >= 5) {
            view.position(view.position() + 3);
            int length = Short.toUnsignedInt(view.getShort());
            lengths.add(length);
            view.position(view.position() + length);
        }
        assertThat(view.hasRemaining()).as("records end on a record's end").isFalse();
        return lengths;
    }

    private byte[] unwrapAll(ByteBuffer records) throws Exception {
        ByteBuffer plain = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 16);
        while (records.hasRemaining()) {
            SSLEngineResult result = client.unwrap(records, plain);
            assertThat(result.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
        }
        byte[] received = new byte[plain.flip().remaining()];
        plain.get(received);
        return received;
    }

    /** Runs both engines' handshake in memory, each side's records handed to the other. */
    private void shake() throws Exception {
        ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
        ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        ByteBuffer none = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 100 && !(done(client) && done(server)); step++) {
            advance(client, none, toServer, toClient, sink);
            advance(server, none, toClient, toServer, sink);
        }
        assertThat(done(client) && done(server)).as("handshake done").isTrue();
        // what the server sent after its side was done (TLS 1.3's session ticket) is read, as a client reads it
        toClient.flip();
        while (toClient.hasRemaining()) {
            client.unwrap(toClient, sink);
            sink.clear();
            if (client.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                client.getDelegatedTask().run();
            }
        }
    }

    private static void advance(SSLEngine engine, ByteBuffer none, ByteBuffer out, ByteBuffer in, ByteBuffer sink)
            throws Exception {
        for (int i = 0; i < 20; i++) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> engine.wrap(none, out);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    SSLEngineResult result = engine.unwrap(in, sink);
                    in.compact();
                    sink.clear();
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        return;
                    }
                }
                case NEED_TASK -> engine.getDelegatedTask().run();
                default -> {
                    return;
                }
            }
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
