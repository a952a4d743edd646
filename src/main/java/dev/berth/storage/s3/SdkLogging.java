package dev.berth.storage.s3;

import java.util.List;

/**
 * What the AWS SDK and its HTTP client can tell of the requests they make to S3, each by the loggers it writes to
 * at debug level. The registry keeps both libraries at warn whatever its own level, so that these show only when
 * asked for.
 */
public enum SdkLogging {
    /** A line for each request sent and for each response received or failure met, with its request id. */
    REQUESTS("software.amazon.awssdk.request"),
    /** The canonical request and the string to sign behind each signature (never the secret key). */
    SIGNING("software.amazon.awssdk.http.auth.aws.internal.signer"),
    /** Every header and byte sent and received, blob contents included. */
    WIRE("org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire"),
    /** The retry strategy's decisions: each attempt's retry token, and a retry refused. */
    RETRIES("software.amazon.awssdk.retries");

    private final List<String> loggers;

    SdkLogging(String... loggers) {
        this.loggers = List.of(loggers);
    }

    /** The names of the loggers to set to debug; each covers the loggers named below it. */
    public List<String> loggers() {
        return loggers;
    }
}
