package dev.berth.gc;

import dev.berth.oci.Digest;
import dev.berth.registry.Claims;
import java.time.Instant;

/**
 * The line between old and young: the collection's start, in the storage's clock, minus the grace period.
 * Anything written, linked or claimed after it is left alone, and so is whatever it keeps alive.
 */
record Cutoff(Instant instant, Claims claims, Inventory inventory) {

    boolean young(Instant time) {
        return time.isAfter(instant);
    }

    /** Whether {@code digest}, or anything the inventory knows to keep it alive, was claimed since the cutoff. */
    boolean protects(Digest digest) {
        return inventory.withKeepers(digest).stream()
                .anyMatch(d -> claims.lastUsed(d).filter(this::young).isPresent());
    }
}
