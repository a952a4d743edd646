package dev.berth.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.stream.LongStream;
import software.amazon.awssdk.core.sync.RequestBody;

/** The body of a request that sends what {@link S3Writer} spooled to local files. */
final class SpoolBody {

    private SpoolBody() {
    }

    /**
     * The files' bytes one after another, read from their starts for every attempt the client makes, without closing
     * them: each was opened to be deleted on close, so it has no name to open it by again.
     */
    static RequestBody of(List<FileChannel> files) throws IOException {
        long[] lengths = new long[files.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = files.get(i).size();
        }
        return RequestBody.fromContentProvider(() -> new InputStream() {
            private int file;
            private long at;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) throws IOException {
                while (file < lengths.length && at >= lengths[file]) {
                    file++;
                    at = 0;
                }
                if (file == lengths.length) {
                    return -1;
                }
                int n = files.get(file).read(ByteBuffer.wrap(buffer, offset,
                        (int) Math.min(count, lengths[file] - at)), at);
                at += Math.max(n, 0);
                return n;
            }
        }, LongStream.of(lengths).sum(), "application/octet-stream");
    }
}
