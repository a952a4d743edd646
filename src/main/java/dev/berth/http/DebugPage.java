package dev.berth.http;

import java.io.IOException;
import java.io.OutputStream;

/** A page the debug server serves besides health, such as the Prometheus metrics. */
public interface DebugPage {

    /** Where the page is served, such as {@code /metrics}. */
    String path();

    String contentType();

    void write(OutputStream out) throws IOException;
}
