package dev.berth.storage.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * An object's body that, closed before its end, drops the connection rather than reading the rest: a client
 * asking for the first bytes of a large blob must not make the registry fetch all of it.
 */
final class AbortingStream extends FilterInputStream {
    private final ResponseInputStream<?> response;
    private long left;

    AbortingStream(ResponseInputStream<?> response, long length) {
        super(response);
        this.response = response;
        this.left = length;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            left--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            left -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        left -= skipped;
        return skipped;
    }

    @Override
    public void close() throws IOException {
        if (left > 0) {
            response.abort();
        }
        super.close();
    }
}
