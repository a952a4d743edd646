package dev.berth.registry;

import dev.berth.oci.RepositoryName;
import dev.berth.oci.UploadId;

/** Where an upload session stands: how many bytes it holds. */
public record UploadStatus(RepositoryName repository, UploadId id, long size) {
}
