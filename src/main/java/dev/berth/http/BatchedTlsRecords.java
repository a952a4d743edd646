package dev.berth.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS whose records go to the socket several at a time. The JDK's engine makes one record (at most 16 KiB of data)
 * per wrap, and Jetty writes what each wrap made before it wraps again, so a blob went out with a system call per
 * 16 KiB, as distribution's does. Here a write of more than a record's data takes a buffer that holds seven
 * records, and a wrap fills it: a warm server's CPU per pull of a blob over TLS a sixth to a fifth less
 * (docs/performance-changes.md, change 95).
 *
 * <p>A connection holds its records until the client has taken them, so a client that stops reading keeps the
 * buffer: at most {@link #BATCHING_CONNECTIONS} connections hold such a buffer at once, and the others write a record
 * at a time, as before. What a connection holds while receiving, which bounds the connections a server accepts
 * ({@link RegistryServer#connectionLimit}), stays as Jetty sizes it.
 */
final class BatchedTlsRecords extends SslConnectionFactory {

    /** Seven whole records. */
    static final int BATCH_BUFFER = 128 * 1024;
    /** 4 MiB of heap at most, as many connections as the send buffers' budget lets send whole blobs at once. */
    static final int BATCHING_CONNECTIONS = 32;
    private static final int RECORD_DATA = 16 * 1024;

    private final Semaphore batchBuffers = new Semaphore(BATCHING_CONNECTIONS);

    BatchedTlsRecords(SslContextFactory.Server context, String nextProtocol) {
        super(context, nextProtocol);
    }

    @Override
    protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
        return new Connection(new Buffers(connector.getByteBufferPool(), batchBuffers), connector,
                getSslContextFactory(), endPoint, engine, isDirectBuffersForEncryption(),
                isDirectBuffersForDecryption());
    }

    /**
     * Wraps record after record while the data lasts and the output has room for a whole one. Only application data
     * is batched: a result that is not a plain OK, or that asks for more than data (a handshake, a key update, a
     * close), ends the batch and goes to Jetty as it came.
     */
    static SSLEngineResult wrapRecords(SSLEngine engine, ByteBuffer[] input, ByteBuffer output) throws SSLException {
        SSLEngineResult result = engine.wrap(input, output);
        int consumed = result.bytesConsumed();
        int produced = result.bytesProduced();
        int wraps = 1;
        while (result.getStatus() == SSLEngineResult.Status.OK
                && result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                && result.bytesConsumed() > 0
                && output.remaining() >= engine.getSession().getPacketBufferSize()
                && BufferUtil.remaining(input) > 0) {
            result = engine.wrap(input, output);
            consumed += result.bytesConsumed();
            produced += result.bytesProduced();
            wraps++;
        }
        return wraps == 1 ? result
                : new SSLEngineResult(result.getStatus(), result.getHandshakeStatus(), consumed, produced);
    }

    /**
     * A connection's buffers: the one taken while a write of several records is being flushed (the records it is
     * encrypted into) is a batch's, when the budget has one left.
     */
    static final class Buffers extends ByteBufferPool.Wrapper {
        private final Semaphore budget;
        /**
         * Set by the connection's writer around a flush; a read at that moment (HTTP/2 reads and writes at once) may
         * take the batch's buffer instead, which the budget counts all the same.
         */
        private volatile boolean batchNext;

        Buffers(ByteBufferPool pool, Semaphore budget) {
            super(pool);
            this.budget = budget;
        }

        void batchNext(boolean batch) {
            batchNext = batch;
        }

        @Override
        public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
            if (batchNext && size <= BATCH_BUFFER && budget.tryAcquire()) {
                batchNext = false;
                return new Budgeted(super.acquire(BATCH_BUFFER, direct), budget);
            }
            return super.acquire(size, direct);
        }
    }

    /** A batch's buffer, whose place in the budget comes back as Jetty lets go of it. */
    private static final class Budgeted extends RetainableByteBuffer.Wrapper {
        private final Semaphore budget;

        Budgeted(RetainableByteBuffer.Mutable buffer, Semaphore budget) {
            super(buffer);
            this.budget = budget;
        }

        @Override
        public boolean release() {
            boolean released = super.release();
            if (released) {
                budget.release();
            }
            return released;
        }
    }

    private static final class Connection extends SslConnection {
        private final Buffers buffers;

        Connection(Buffers buffers, Connector connector, SslContextFactory context, EndPoint endPoint,
                   SSLEngine engine, boolean directEncryption, boolean directDecryption) {
            super(buffers, connector.getExecutor(), context, endPoint, engine, directEncryption, directDecryption);
            this.buffers = buffers;
        }

        @Override
        protected SSLEngineResult wrap(SSLEngine engine, ByteBuffer[] input, ByteBuffer output) throws SSLException {
            return wrapRecords(engine, input, output);
        }

        @Override
        protected SslEndPoint newSslEndPoint() {
            return new BatchingEndPoint();
        }

        private final class BatchingEndPoint extends SslEndPoint {
            @Override
            public boolean flush(ByteBuffer... data) throws IOException {
                buffers.batchNext(BufferUtil.remaining(data) > RECORD_DATA);
                try {
                    return super.flush(data);
                } finally {
                    buffers.batchNext(false);
                }
            }
        }
    }
}
