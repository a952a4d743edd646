package dev.berth.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;

/** Where an {@link HttpConnection}'s bytes go: the socket itself, or TLS over it. */
sealed interface Wire extends Closeable {

    /** Reads what has arrived into the buffer; -1 once the server has closed the connection. */
    int read(ByteBuffer into) throws IOException;

    /** Writes the whole buffer. */
    void write(ByteBuffer from) throws IOException;

    record Plain(SocketChannel channel) implements Wire {
        @Override
        public int read(ByteBuffer into) throws IOException {
            return channel.read(into);
        }

        @Override
        public void write(ByteBuffer from) throws IOException {
            while (from.hasRemaining()) {
                channel.write(from);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** An {@link SSLSocket} takes arrays, so the connection's buffers pass through one of its own. */
    final class Tls implements Wire {
        private final SSLSocket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] scratch;

        Tls(SSLSocket socket, int bufferSize) throws IOException {
            this.socket = socket;
            this.scratch = new byte[bufferSize];
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        @Override
        public int read(ByteBuffer into) throws IOException {
            int n = in.read(scratch, 0, Math.min(scratch.length, into.remaining()));
            if (n > 0) {
                into.put(scratch, 0, n);
            }
            return n;
        }

        @Override
        public void write(ByteBuffer from) throws IOException {
            while (from.hasRemaining()) {
                int n = Math.min(scratch.length, from.remaining());
                from.get(scratch, 0, n);
                out.write(scratch, 0, n);
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
