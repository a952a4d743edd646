package dev.berth.system;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Reproducible pseudo-random content of any size, generated on the fly so the test itself holds no more than
 * one block: every block is the same random block with its index written into it, so no two blocks are equal.
 */
final class GeneratedContent {

    private static final int BLOCK = 1 << 20;

    private final byte[] block = new byte[BLOCK];
    private final long size;

    GeneratedContent(long seed, long size) {
        new Random(seed).nextBytes(block);
        this.size = size;
    }

    long size() {
        return size;
    }

    /** The bytes from {@code offset} (inclusive) to {@code end} (exclusive). */
    InputStream stream(long offset, long end) {
        return new InputStream() {
            private long position = offset;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int off, int len) {
                if (position >= end) {
                    return -1;
                }
                int inBlock = (int) (position % BLOCK);
                int n = (int) Math.min(Math.min(len, BLOCK - inBlock), end - position);
                System.arraycopy(block, inBlock, buffer, off, n);
                long index = position / BLOCK;
                for (int i = 0; i < n; i++) {
                    int at = inBlock + i;
                    if (at < 8) {
                        buffer[off + i] = (byte) (index >>> (8 * at));
                    }
                }
                position += n;
                return n;
            }
        };
    }

    InputStream stream() {
        return stream(0, size);
    }

    Digest digest() throws IOException {
        return digestOf(stream());
    }

    static Digest digestOf(InputStream in) throws IOException {
        MessageDigest sha256 = dev.berth.oci.DigestAlgorithm.SHA256.newMessageDigest();
        byte[] buffer = new byte[1 << 16];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
            }
        }
        return Digest.parse("sha256:" + HexFormat.of().formatHex(sha256.digest()));
    }
}
