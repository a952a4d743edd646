package dev.berth.api;

import dev.berth.oci.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The body of a 206 answer to a request for several ranges (RFC 9110 section 14.6, {@code multipart/byteranges}):
 * each range as a part headed by its {@code Content-Range}, between boundaries. Clients of zstd:chunked images
 * (containers/image) fetch the files they lack this way, hundreds of ranges of a layer at once.
 */
public final class MultipartByteRanges {

    private static final String CRLF = "\r\n";

    private final List<ByteRange> ranges;
    private final long size;
    private final String boundary;

    /** {@code ranges} as {@link ByteRange#parse} gives them: at least two, within content of {@code size} bytes. */
    public MultipartByteRanges(List<ByteRange> ranges, long size) {
        this.ranges = List.copyOf(ranges);
        this.size = size;
        // random, so that no blob can contain it by design; 120 bits make it unlikely by chance
        byte[] random = new byte[15];
        ThreadLocalRandom.current().nextBytes(random);
        this.boundary = HexFormat.of().formatHex(random);
    }

    public List<ByteRange> ranges() {
        return ranges;
    }

    public String contentType() {
        return "multipart/byteranges; boundary=" + boundary;
    }

    /** What comes before the bytes of part {@code index}: the boundary (after the previous part) and its headers. */
    public byte[] head(int index) {
        String head = (index == 0 ? "" : CRLF) + "--" + boundary + CRLF
                + "Content-Type: " + MediaType.OCTET_STREAM + CRLF
                + "Content-Range: " + ranges.get(index).contentRange(size) + CRLF
                + CRLF;
        return head.getBytes(StandardCharsets.US_ASCII);
    }

    /** What ends the body, after the last part's bytes. */
    public byte[] closing() {
        return (CRLF + "--" + boundary + "--" + CRLF).getBytes(StandardCharsets.US_ASCII);
    }

    /** The length of the whole body. */
    public long contentLength() {
        long length = closing().length;
        for (int i = 0; i < ranges.size(); i++) {
            length += head(i).length + ranges.get(i).length();
        }
        return length;
    }
}
