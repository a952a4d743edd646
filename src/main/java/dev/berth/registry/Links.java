package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.InvalidDigestException;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Link files: small files whose content is a digest, which is how the layout records membership. */
final class Links {

    private final StorageDriver driver;

    Links(StorageDriver driver) {
        this.driver = driver;
    }

    /** The digest a link holds; empty when the link is absent or does not hold a digest. */
    Optional<Digest> read(StoragePath link) {
        try {
            String text = new String(driver.getContent(Layout.key(link)), StandardCharsets.US_ASCII).strip();
            return Optional.of(Digest.parse(text));
        } catch (NotFoundException | InvalidDigestException e) {
            return Optional.empty();
        }
    }

    boolean exists(StoragePath link) {
        return driver.stat(Layout.key(link)).isPresent();
    }

    void write(StoragePath link, Digest digest) {
        driver.putContent(Layout.key(link), digest.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
