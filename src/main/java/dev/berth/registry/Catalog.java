package dev.berth.registry;

import dev.berth.oci.InvalidNameException;
import dev.berth.oci.RepositoryName;
import dev.berth.storage.AtOnce;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.layout.Layout;
import dev.berth.storage.layout.StoragePath;
import dev.berth.storage.layout.StoragePath.LayersRoot;
import dev.berth.storage.layout.StoragePath.ManifestsRoot;
import dev.berth.storage.layout.StoragePath.UploadsRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The repositories of the registry: directories under {@code repositories/} that hold manifests. Names nest
 * ({@code a/b} and {@code a/b/c} may both exist), and directories starting with {@code _} belong to the
 * repository above them. A repository whose last manifest is deleted has no {@code _manifests/revisions} left and
 * drops out of the catalog.
 */
public final class Catalog {

    /** distribution's default {@code catalog.maxentries}. */
    public static final int DEFAULT_MAX_PAGE = 1000;

    private final StorageDriver driver;
    private final boolean deleteEnabled;
    private final int maxPage;
    private final AtOnce atOnce;

    Catalog(StorageDriver driver, boolean deleteEnabled, int maxPage) {
        if (maxPage < 1) {
            throw new IllegalArgumentException("a catalog page holds at least one repository, not " + maxPage);
        }
        this.driver = driver;
        this.deleteEnabled = deleteEnabled;
        this.maxPage = maxPage;
        this.atOnce = new AtOnce(driver);
    }

    Catalog withMaxPage(int max) {
        return new Catalog(driver, deleteEnabled, max);
    }

    /**
     * The most repositories one page may hold, whatever a client asks for: what one request costs stays bounded in
     * a registry of any size.
     */
    public int maxPage() {
        return maxPage;
    }

    /** Every repository, sorted by name. */
    public List<RepositoryName> list() {
        return all(this::holdsManifests);
    }

    /**
     * A repository's directory: one with manifests, not merely a {@code _manifests} directory, whose tags directory
     * stays when emptied. Distribution 2.8 counts one with layer links, and so keeps listing a repository whose
     * manifests are all deleted; Berth does not (docs/garbage-collection.md).
     */
    private boolean holdsManifests(String key, List<String> children) {
        return children.contains(Layout.MANIFESTS) && hasManifests(driver, key + "/" + Layout.MANIFESTS);
    }

    /** Whether the manifests directory at {@code manifestsKey} holds manifests, not merely an emptied tags one. */
    static boolean hasManifests(StorageDriver driver, String manifestsKey) {
        return driver.isDirectory(manifestsKey + "/" + Layout.REVISIONS);
    }

    /**
     * One page of the catalog: the first {@code limit} repositories, by name, that sort after {@code after} (all,
     * when empty) and that {@code wanted} accepts. Directories whose every name sorts before {@code after}, or
     * after a page that is already full, are not visited: a page costs what it holds, not the whole tree.
     */
    public List<RepositoryName> list(String after, int limit, Predicate<RepositoryName> wanted) {
        return new Walk(this::holdsManifests, after, limit, wanted).names();
    }

    /**
     * Every directory that holds something of a repository (manifests, layer links or uploads): what maintenance
     * must visit, including repositories whose manifests are all gone.
     */
    public Directories directories() {
        Walk walk = new Walk((key, children) -> children.stream().anyMatch(c -> c.equals(Layout.MANIFESTS)
                || c.equals(Layout.LAYERS) || c.equals(Layout.UPLOADS)), "", Integer.MAX_VALUE, name -> true);
        return new Directories(walk.names(), walk.unnamed);
    }

    /**
     * The directories a walk found, sorted. {@code unnamed}: paths under {@code repositories/} that hold a
     * repository's files but are no name Berth accepts, such as those distribution also takes with a first
     * component in a host name's form ({@code Team/app}, {@code host:5000/app}); Berth never serves them.
     */
    public record Directories(List<RepositoryName> repositories, List<String> unnamed) {
        public Directories {
            repositories = List.copyOf(repositories);
            unnamed = List.copyOf(unnamed);
        }
    }

    private List<RepositoryName> all(BiPredicate<String, List<String>> isRepository) {
        return new Walk(isRepository, "", Integer.MAX_VALUE, name -> true).names();
    }

    /**
     * Deletes a repository: its manifests, tags, layer links and uploads, but not repositories nested in it. The
     * blobs stay until garbage collection finds them unreferenced. Refused while deletes are disabled, as every
     * other delete is.
     */
    public void delete(RepositoryName repository) {
        if (!deleteEnabled) {
            throw new DeleteDisabledException();
        }
        if (!directories().repositories().contains(repository)) {
            throw new NameUnknownException(repository);
        }
        // tags first: a delete cut short by a crash then leaves manifests no tag names, never tags naming nothing
        driver.delete(Layout.key(new StoragePath.Tags(repository)));
        driver.delete(Layout.key(new ManifestsRoot(repository)));
        driver.delete(Layout.key(new LayersRoot(repository)));
        driver.delete(Layout.key(new UploadsRoot(repository)));
    }

    /**
     * A walk of {@code repositories/} keeping the {@code limit} smallest names after {@code after} of directories
     * whose children {@code isRepository} accepts.
     */
    private final class Walk {
        final BiPredicate<String, List<String>> isRepository;
        final String after;
        final int limit;
        final Predicate<RepositoryName> wanted;
        final TreeSet<RepositoryName> names = new TreeSet<>();
        final List<String> unnamed = new ArrayList<>();

        Walk(BiPredicate<String, List<String>> isRepository, String after, int limit,
             Predicate<RepositoryName> wanted) {
            this.isRepository = isRepository;
            this.after = after;
            this.limit = limit;
            this.wanted = wanted;
        }

        List<RepositoryName> names() {
            Directory root = new Directory(Layout.REPOSITORIES, "");
            visit(root, listed(root));
            return List.copyOf(names);
        }

        /** A directory under the repositories root, and the repository name it would hold ("" for the root). */
        private record Directory(String key, String name) {
            Directory child(String child) {
                return new Directory(key + "/" + child, name.isEmpty() ? child : name + "/" + child);
            }
        }

        /** A directory's children, and whether it is a repository this walk reports. */
        private record Listed(List<String> children, boolean repository) {
        }

        private Listed listed(Directory directory) {
            List<String> children = driver.list(directory.key());
            return new Listed(children, !directory.name().isEmpty() && directory.name().compareTo(after) > 0
                    && isRepository.test(directory.key(), children));
        }

        private void visit(Directory directory, Listed listed) {
            if (listed.repository()) {
                offer(directory.name());
            }
            // in order, so that the page fills with the smallest names first and the directories past it are skipped;
            // on remote storage, where each listing is a round trip, a slice of them is listed at once first. Loops
            // rather than streams: a fresh server's first paging runs this in the interpreter, where the two streams
            // made for each directory took a tenth of its time
            List<String> names = new ArrayList<>(listed.children().size());
            for (String child : listed.children()) {
                if (!child.startsWith("_")) {
                    names.add(child);
                }
            }
            names.sort(null);
            for (int start = 0; start < names.size(); start += atOnce.mostAtOnce()) {
                List<Directory> slice = new ArrayList<>();
                for (String child : names.subList(start, Math.min(start + atOnce.mostAtOnce(), names.size()))) {
                    Directory below = directory.child(child);
                    if (mayHold(below.name())) {
                        slice.add(below);
                    }
                }
                List<Listed> listings = atOnce.map(slice, this::listed);
                for (int i = 0; i < slice.size(); i++) {
                    // asked again: the page may have filled while the slice's earlier directories were visited
                    if (mayHold(slice.get(i).name())) {
                        visit(slice.get(i), listings.get(i));
                    }
                }
            }
        }

        private void offer(String name) {
            RepositoryName repository;
            try {
                repository = RepositoryName.parse(name);
            } catch (InvalidNameException e) {
                unnamed.add(name); // not a repository Berth serves, but perhaps one another registry did
                return;
            }
            if (wanted.test(repository)) {
                names.add(repository);
                if (names.size() > limit) {
                    names.pollLast();
                }
            }
        }

        /** Whether the directory of {@code prefix} may hold a name of this page; every name in it starts so. */
        private boolean mayHold(String prefix) {
            // when prefix/ sorts before `after` at a character they do not share, so does prefix/x for any x
            String below = prefix + "/";
            boolean allBefore = below.compareTo(after) < 0 && !after.startsWith(below);
            boolean allBeyond = !names.isEmpty() && names.size() >= limit
                    && prefix.compareTo(names.last().value()) > 0;
            return !allBefore && !allBeyond;
        }
    }
}
