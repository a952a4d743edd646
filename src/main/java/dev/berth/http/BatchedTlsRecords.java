package dev.berth.http;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS whose records go to the socket several at a time. The JDK's engine makes one record (at most 16 KiB of data)
 * per wrap, and Jetty writes what each wrap made before it wraps again, so a blob went out with a system call per
 * 16 KiB, as distribution's does. Here a wrap encrypts as many records as its buffer holds, and TLS's buffers,
 * those records are read into too, hold several: a warm server's CPU per pull of a blob over TLS 18-20 % less
 * (docs/performance-changes.md, change 95).
 */
final class BatchedTlsRecords extends SslConnectionFactory {

    /** What one system call writes, or reads, at most: seven whole records. */
    static final int BUFFER_SIZE = 128 * 1024;

    BatchedTlsRecords(SslContextFactory.Server context, String nextProtocol) {
        super(context, nextProtocol);
    }

    @Override
    protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
        return new Connection(new LargerBuffers(connector.getByteBufferPool()), connector, getSslContextFactory(),
                endPoint, engine, isDirectBuffersForEncryption(), isDirectBuffersForDecryption());
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
                && hasRemaining(input)) {
            result = engine.wrap(input, output);
            consumed += result.bytesConsumed();
            produced += result.bytesProduced();
            wraps++;
        }
        return wraps == 1 ? result
                : new SSLEngineResult(result.getStatus(), result.getHandshakeStatus(), consumed, produced);
    }

    private static boolean hasRemaining(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (buffer.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** Every buffer of TLS's (records in, records out, data decrypted ahead of its reader) at least that large. */
    private static final class LargerBuffers extends ByteBufferPool.Wrapper {
        LargerBuffers(ByteBufferPool pool) {
            super(pool);
        }

        @Override
        public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
            return super.acquire(Math.max(size, BUFFER_SIZE), direct);
        }
    }

    private static final class Connection extends SslConnection {
        Connection(ByteBufferPool pool, Connector connector, SslContextFactory context, EndPoint endPoint,
                   SSLEngine engine, boolean directEncryption, boolean directDecryption) {
            super(pool, connector.getExecutor(), context, endPoint, engine, directEncryption, directDecryption);
        }

        @Override
        protected SSLEngineResult wrap(SSLEngine engine, ByteBuffer[] input, ByteBuffer output) throws SSLException {
            return wrapRecords(engine, input, output);
        }
    }
}
