package dev.berth.gc;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;

/** Something a collection deleted, or in a dry run would delete. */
public sealed interface Deletion {

    /** Blob content, stored once for the whole registry. */
    record Blob(Digest digest, long size) implements Deletion {
    }

    /** A manifest of one repository that no tag reaches (with {@code deleteUntagged}). */
    record Manifest(RepositoryName repository, Digest digest) implements Deletion {
    }
}
