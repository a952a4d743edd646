package dev.berth.tls;

/** Key material that cannot be read, written or used; the message names the file at fault. */
public final class TlsException extends RuntimeException {

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
