package dev.berth.gc;

import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;

/** A tag's link holds no digest, so which manifest the tag keeps is unknown: distribution stops on it too. */
public final class UnreadableTagException extends CollectionStoppedException {
    public UnreadableTagException(RepositoryName repository, Tag tag) {
        super("cannot read the link of tag " + repository + ":" + tag + "; nothing was deleted. Push or delete the "
                + "tag, then collect again");
    }
}
