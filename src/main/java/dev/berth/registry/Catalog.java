package dev.berth.registry;

import dev.berth.oci.InvalidNameException;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import java.util.ArrayList;
import java.util.List;

/**
 * The repositories of the registry: directories under {@code repositories/} that hold manifests. Names nest
 * ({@code a/b} and {@code a/b/c} may both exist), and directories starting with {@code _} belong to the
 * repository above them.
 */
public final class Catalog {

    private final StorageDriver driver;

    Catalog(StorageDriver driver) {
        this.driver = driver;
    }

    /** Every repository, sorted by name. */
    public List<RepositoryName> list() {
        List<RepositoryName> names = new ArrayList<>();
        walk(Layout.REPOSITORIES, "", names);
        names.sort(null);
        return names;
    }

    private void walk(String key, String name, List<RepositoryName> names) {
        for (String child : driver.list(key)) {
            if (child.equals(Layout.MANIFESTS) && !name.isEmpty()) {
                try {
                    names.add(RepositoryName.parse(name));
                } catch (InvalidNameException e) {
                    // a directory no client could have pushed: not a repository
                }
            } else if (!child.startsWith("_")) {
                walk(key + "/" + child, name.isEmpty() ? child : name + "/" + child, names);
            }
        }
    }
}
