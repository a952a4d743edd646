package dev.berth.registry;

import dev.berth.oci.InvalidNameException;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath.LayersRoot;
import dev.berth.storage.layout.StoragePath.ManifestsRoot;
import dev.berth.storage.layout.StoragePath.UploadsRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The repositories of the registry: directories under {@code repositories/} that hold manifests. Names nest
 * ({@code a/b} and {@code a/b/c} may both exist), and directories starting with {@code _} belong to the
 * repository above them. Since storage keeps no empty directory, a repository whose last manifest and tag are
 * deleted has no {@code _manifests} left and drops out of the catalog.
 */
public final class Catalog {

    private final StorageDriver driver;

    Catalog(StorageDriver driver) {
        this.driver = driver;
    }

    /** Every repository, sorted by name. */
    public List<RepositoryName> list() {
        return walk(children -> children.contains(Layout.MANIFESTS));
    }

    /**
     * Every directory that holds something of a repository (manifests, layer links or uploads), sorted: what
     * maintenance must visit, including repositories whose manifests are all gone.
     */
    public List<RepositoryName> directories() {
        return walk(children -> children.stream().anyMatch(c -> c.equals(Layout.MANIFESTS)
                || c.equals(Layout.LAYERS) || c.equals(Layout.UPLOADS)));
    }

    /**
     * Deletes a repository: its manifests, tags, layer links and uploads, but not repositories nested in it. The
     * blobs stay until garbage collection finds them unreferenced.
     */
    public void delete(RepositoryName repository) {
        if (!directories().contains(repository)) {
            throw new NameUnknownException(repository);
        }
        driver.delete(Layout.key(new ManifestsRoot(repository)));
        driver.delete(Layout.key(new LayersRoot(repository)));
        driver.delete(Layout.key(new UploadsRoot(repository)));
    }

    private List<RepositoryName> walk(Predicate<List<String>> isRepository) {
        List<RepositoryName> names = new ArrayList<>();
        walk(Layout.REPOSITORIES, "", isRepository, names);
        names.sort(null);
        return names;
    }

    private void walk(String key, String name, Predicate<List<String>> isRepository, List<RepositoryName> names) {
        List<String> children = driver.list(key);
        if (!name.isEmpty() && isRepository.test(children)) {
            try {
                names.add(RepositoryName.parse(name));
            } catch (InvalidNameException e) {
                // a directory no client could have pushed: not a repository
            }
        }
        for (String child : children) {
            if (!child.startsWith("_")) {
                walk(key + "/" + child, name.isEmpty() ? child : name + "/" + child, isRepository, names);
            }
        }
    }
}
