package dev.berth.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The workloads of a benchmark run, in the order they run. */
public enum Workload {
    /** One large blob pushed monolithically: POST, then PUT with the whole body. */
    PUSH,
    /** One large blob pushed in PATCH chunks, then a PUT without body. */
    CHUNKED,
    /** The large blob pulled back, its digest verified after the timing. */
    PULL,
    /** Small requests (HEAD manifest by tag, GET manifest by digest, GET tags/list) at many connections. */
    SMALL,
    /** Many small images (layers, config, manifest) pushed by several workers, then pulled and verified. */
    IMAGES;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Workload> byId(String id) {
        return Arrays.stream(values()).filter(w -> w.id().equals(id.trim().toLowerCase(Locale.ROOT))).findFirst();
    }
}
