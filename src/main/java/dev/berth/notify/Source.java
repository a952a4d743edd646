package dev.berth.notify;

import java.util.UUID;

/**
 * This registry as its events name it ({@code source}): its {@code host:port}, and an id of this run of it.
 */
public record Source(String addr, String instanceId) {

    /** A new run's source at {@code addr}. */
    public static Source of(String addr) {
        return new Source(addr, UUID.randomUUID().toString());
    }
}
