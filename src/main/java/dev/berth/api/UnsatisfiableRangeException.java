package dev.berth.api;

/** A Range header that selects no byte of the content; answered 416 with {@code Content-Range: bytes *}{@code /size}. */
public final class UnsatisfiableRangeException extends ApiException {

    private final long size;

    public UnsatisfiableRangeException(String range, long size) {
        super(ErrorCode.RANGE_INVALID, "range " + range + " cannot be satisfied for " + size + " bytes");
        this.size = size;
    }

    public long size() {
        return size;
    }
}
