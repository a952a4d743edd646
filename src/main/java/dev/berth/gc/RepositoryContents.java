package dev.berth.gc;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.time.Instant;
import java.util.Map;

/**
 * One repository as the mark phase found it.
 *
 * @param revisions  its manifests, with when their revision link was last written
 * @param tags       its tags and the manifest each points at
 * @param layerLinks the blobs it links, with when each link was last written
 */
record RepositoryContents(RepositoryName name, Map<Digest, Instant> revisions, Map<Tag, Digest> tags,
                          Map<Digest, Instant> layerLinks) {

    RepositoryContents {
        revisions = Map.copyOf(revisions);
        tags = Map.copyOf(tags);
        layerLinks = Map.copyOf(layerLinks);
    }
}
