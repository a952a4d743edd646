package dev.berth.storage;

import java.time.Instant;

/** What a driver knows of a key without reading it. */
public record FileInfo(String key, long size, Instant modified, boolean directory) {
}
