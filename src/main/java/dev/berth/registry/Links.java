package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.InvalidDigestException;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Link files: small files whose content is a digest, which is how the layout records membership. A link the
 * garbage collector has set aside is put back before it is reported missing.
 */
final class Links {

    private final StorageDriver driver;
    private final Quarantines quarantines;

    Links(StorageDriver driver) {
        this.driver = driver;
        this.quarantines = new Quarantines(driver);
    }

    /** The digest a link holds; empty when the link is absent or does not hold a digest. */
    Optional<Digest> read(StoragePath link) {
        try {
            return parse(driver.getContent(Layout.key(link)));
        } catch (NotFoundException e) {
            if (!quarantines.restore(link)) {
                return Optional.empty();
            }
        }
        try {
            return parse(driver.getContent(Layout.key(link)));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the link is there but holds no digest, as one read finds it: a link deleted or written again since an
     * earlier read is not damaged, however the two reads interleave with the writes.
     */
    boolean damaged(StoragePath link) {
        try {
            return parse(driver.getContent(Layout.key(link))).isEmpty();
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static Optional<Digest> parse(byte[] content) {
        try {
            return Optional.of(Digest.parse(new String(content, StandardCharsets.US_ASCII).strip()));
        } catch (InvalidDigestException e) {
            return Optional.empty();
        }
    }

    boolean exists(StoragePath link) {
        return quarantines.exists(link);
    }

    /** As {@link #exists}, for a link that is usually absent ({@link Quarantines#existsExpectingNot}). */
    boolean existsExpectingNot(StoragePath link) {
        return quarantines.existsExpectingNot(link);
    }

    /** Makes the link name {@code digest}, durably; one that names it already may be left as it is. */
    void write(StoragePath link, Digest digest) {
        driver.ensureContent(Layout.key(link), content(digest));
    }

    /**
     * Makes each link name {@code digest}, durably when this returns, as one write to storage
     * ({@link StorageDriver#ensureContents}): for links independent of one another, as a crash may leave any of them
     * written and the others not.
     */
    void writeAll(List<StoragePath> links, Digest digest) {
        byte[] content = content(digest);
        Map<String, byte[]> contents = new LinkedHashMap<>();
        links.forEach(link -> contents.put(Layout.key(link), content));
        driver.ensureContents(contents);
    }

    private static byte[] content(Digest digest) {
        return digest.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
