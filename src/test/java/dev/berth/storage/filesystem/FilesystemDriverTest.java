package dev.berth.storage.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageDriverContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemDriverTest extends StorageDriverContract {

    @TempDir
    Path root;

    @Override
    protected StorageDriver driver() {
        return new FilesystemDriver(root);
    }

    @Test
    void storesKeysAsFilesUnderTheRoot() throws Exception {
        driver().putContent("/docker/registry/v2/x/link", "sha256:abc".getBytes(StandardCharsets.UTF_8));
        assertThat(root.resolve("docker/registry/v2/x/link")).hasContent("sha256:abc");
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws Exception {
        driver().putContent("/a/b", new byte[] {1});
        driver().putContent("/a/b", new byte[] {2});
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith(FilesystemDriver.TEMP_PREFIX));
        }
    }

    @Test
    void hidesTemporaryFilesFromListings() throws Exception {
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d").resolve(FilesystemDriver.TEMP_PREFIX + "x"), "partial");
        driver().putContent("/d/real", new byte[] {1});
        assertThat(driver().list("/d")).containsExactly("real");
    }

    @Test
    void touchLeavesTheFileEmptyEvenWhereAClaimOnceHeldAByte() throws Exception {
        Path older = Files.createDirectories(root.resolve("blobs/ab")).resolve("claimed");
        Files.write(older, new byte[] {'1'});

        driver().touch("/blobs/ab/claimed");
        driver().touch("/blobs/cd/claimed");

        assertThat(older).isEmptyFile();
        assertThat(root.resolve("blobs/cd/claimed")).isEmptyFile();
    }

    @Test
    void syncsTheParentOfEachDirectoryMadeForANewFile() {
        List<Path> synced = new CopyOnWriteArrayList<>();
        FilesystemDriver driver = observed(synced, 4096);

        driver.putContent("/a/b/c/link", new byte[] {1});
        assertThat(synced).containsExactly(root.resolve("a/b/c"), root.resolve("a/b"), root.resolve("a"), root);

        synced.clear();
        driver.putContent("/a/b/d/link", new byte[] {2});
        assertThat(synced).containsExactly(root.resolve("a/b/d"), root.resolve("a/b"));

        synced.clear();
        driver.putContent("/a/b/d/link", new byte[] {3});
        assertThat(synced).containsExactly(root.resolve("a/b/d"));
    }

    @Test
    void syncsTheParentOfEachDirectoryMadeForAMove() {
        List<Path> synced = new CopyOnWriteArrayList<>();
        FilesystemDriver driver = observed(synced, 4096);
        driver.putContent("/uploads/u1/data", new byte[] {1});

        synced.clear();
        driver.move("/uploads/u1/data", "/blobs/ab/abcd/data");
        assertThat(synced).containsExactly(root.resolve("blobs/ab/abcd"), root.resolve("blobs/ab"),
                root.resolve("blobs"), root);
        assertThat(root.resolve("blobs/ab/abcd/data")).hasBinaryContent(new byte[] {1});
    }

    @Test
    void syncsTheEntriesOfDirectoriesAClaimMadeWhenABlobIsMovedIntoThem() {
        List<Path> synced = new CopyOnWriteArrayList<>();
        FilesystemDriver driver = observed(synced, 4096);
        driver.putContent("/uploads/u1/data", new byte[] {1});
        driver.touch("/blobs/ab/abcd/claimed");

        synced.clear();
        driver.move("/uploads/u1/data", "/blobs/ab/abcd/data");
        assertThat(synced).containsExactly(root.resolve("blobs/ab/abcd"), root.resolve("blobs/ab"),
                root.resolve("blobs"), root);

        synced.clear();
        driver.putContent("/blobs/ab/abcd/other", new byte[] {2});
        assertThat(synced).containsExactly(root.resolve("blobs/ab/abcd"));
    }

    @Test
    void syncsTheEntriesOfDirectoriesAnUploadsStartMadeWhenALinkIsWrittenBelowThem() throws Exception {
        List<Path> synced = new CopyOnWriteArrayList<>();
        FilesystemDriver driver = observed(synced, 4096);
        driver.writer("/repositories/r/_uploads/u1/startedat", false).close();

        driver.putContent("/repositories/r/_layers/l/link", new byte[] {1});
        assertThat(synced).containsExactly(root.resolve("repositories/r/_layers/l"),
                root.resolve("repositories/r/_layers"), root.resolve("repositories/r"),
                root.resolve("repositories"), root);
    }

    @Test
    void syncsTheEntryOfADirectoryMadeAgainAfterItWasPruned() {
        List<Path> synced = new CopyOnWriteArrayList<>();
        FilesystemDriver driver = observed(synced, 4096);
        driver.putContent("/a/b/link", new byte[] {1});
        driver.delete("/a/b/link");
        assertThat(root.resolve("a")).doesNotExist();
        driver.touch("/a/b/claimed");

        synced.clear();
        driver.putContent("/a/b/link", new byte[] {2});
        assertThat(synced).containsExactly(root.resolve("a/b"), root.resolve("a"), root);
    }

    @Test
    void syncsEveryWaitingEntryAtOnceWhenMoreWaitThanItsLimit() throws Exception {
        List<Path> synced = new CopyOnWriteArrayList<>();
        FilesystemDriver driver = observed(synced, 2);
        driver.touch("/x/claimed");
        driver.touch("/y/claimed");
        Files.delete(root.resolve("y/claimed"));
        Files.delete(root.resolve("y"));
        assertThat(synced).isEmpty();

        driver.touch("/z/claimed");
        // once for x and z, both made before that sync began; y was removed by someone else
        assertThat(synced).containsExactly(root);

        synced.clear();
        driver.putContent("/x/link", new byte[] {1});
        driver.putContent("/z/link", new byte[] {1});
        assertThat(synced).containsExactly(root.resolve("x"), root.resolve("z"));
    }

    @Test
    void ensureLeavesAFileHoldingTheContentAsItIsAndSyncsItsPathAsAWriteWould() throws Exception {
        List<Path> synced = new CopyOnWriteArrayList<>();
        FilesystemDriver driver = observed(synced, 4096);
        // a claim made the directories without syncing their entries; the link then came from elsewhere (a put
        // still syncing, another process)
        driver.touch("/a/b/claimed");
        Path link = root.resolve("a/b/link");
        Files.writeString(link, "sha256:one");
        Object file = Files.readAttributes(link, BasicFileAttributes.class).fileKey();
        Files.setLastModifiedTime(link, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));

        driver.ensureContent("/a/b/link", "sha256:one".getBytes(StandardCharsets.US_ASCII));

        assertThat(Files.readAttributes(link, BasicFileAttributes.class).fileKey()).isEqualTo(file);
        assertThat(Files.getLastModifiedTime(link).toInstant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(synced).containsExactly(root.resolve("a/b"), root.resolve("a"), root);

        synced.clear();
        driver.ensureContent("/a/b/link", "sha256:two".getBytes(StandardCharsets.US_ASCII));
        assertThat(link).hasContent("sha256:two");
        assertThat(Files.readAttributes(link, BasicFileAttributes.class).fileKey()).isNotEqualTo(file);
        assertThat(synced).containsExactly(root.resolve("a/b"));
    }

    @Test
    void ensuresSeveralFilesWithEveryFileInPlaceBeforeAnyDirectoryIsSyncedAndEveryNewEntrySynced() throws Exception {
        Path index = root.resolve("t/index/sha256/ab/link");
        Path current = root.resolve("t/current/link");
        Path kept = root.resolve("r/link");
        Files.createDirectories(kept.getParent());
        Files.writeString(kept, "sha256:ab");
        Object keptFile = Files.readAttributes(kept, BasicFileAttributes.class).fileKey();
        List<Path> synced = new CopyOnWriteArrayList<>();
        List<Boolean> inPlaceAtFirstSync = new CopyOnWriteArrayList<>();
        FilesystemDriver driver = new FilesystemDriver(root, key -> false, key -> Optional.empty(), directory -> {
            if (synced.isEmpty()) {
                inPlaceAtFirstSync.add(Files.exists(index) && Files.exists(current));
            }
            synced.add(directory);
        }, 4096);
        byte[] digest = "sha256:ab".getBytes(StandardCharsets.US_ASCII);
        Map<String, byte[]> contents = new LinkedHashMap<>();
        contents.put("/t/index/sha256/ab/link", digest);
        contents.put("/r/link", digest);
        contents.put("/t/current/link", digest);

        driver.ensureContents(contents);

        assertThat(index).hasContent("sha256:ab");
        assertThat(current).hasContent("sha256:ab");
        assertThat(Files.readAttributes(kept, BasicFileAttributes.class).fileKey()).isEqualTo(keptFile);
        // all renamed before the first directory sync, so that the first syncs write what they all need
        assertThat(inPlaceAtFirstSync).containsExactly(true);
        // each file's directory, and the parent of every directory made for them, up to the root, each once: the
        // sync of t for index's entry came after current was made there, so it wrote current's entry too
        assertThat(synced).containsExactly(root.resolve("t/index/sha256/ab"), root.resolve("t/index/sha256"),
                root.resolve("t/index"), root.resolve("t"), root, root.resolve("r"), root.resolve("t/current"));
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith(FilesystemDriver.TEMP_PREFIX));
        }
    }

    @Test
    void syncsAParentAgainForADirectoryMadeInItAfterItsSyncBegan() throws Exception {
        List<Path> synced = new CopyOnWriteArrayList<>();
        AtomicReference<FilesystemDriver> driver = new AtomicReference<>();
        driver.set(new FilesystemDriver(root, key -> false, key -> Optional.empty(), directory -> {
            if (directory.equals(root.resolve("t")) && !synced.contains(directory)) {
                // while t is synced for index's entry, a delete prunes current and a claim makes it again
                driver.get().delete("/t/current/link");
                driver.get().touch("/t/current/claimed");
            }
            synced.add(directory);
        }, 4096));
        byte[] digest = "sha256:ab".getBytes(StandardCharsets.US_ASCII);
        Map<String, byte[]> contents = new LinkedHashMap<>();
        contents.put("/t/index/link", digest);
        contents.put("/t/current/link", digest);

        driver.get().ensureContents(contents);

        assertThat(synced).containsExactly(root.resolve("t/index"), root.resolve("t"), root,
                root.resolve("t/current"), root.resolve("t"));
    }

    private FilesystemDriver observed(List<Path> synced, int unsyncedLimit) {
        return new FilesystemDriver(root, key -> false, key -> Optional.empty(), synced::add, unsyncedLimit);
    }

    @Test
    void prunesEmptyDirectoriesUpToOneItIsToldToKeep() throws Exception {
        FilesystemDriver driver = new FilesystemDriver(root, key -> key.equals("/a/kept"), key -> Optional.empty());
        driver.putContent("/a/kept/x/link", new byte[] {1});
        driver.putContent("/b/y/link", new byte[] {1});

        driver.delete("/a/kept/x/link");
        driver.delete("/b/y");

        assertThat(root.resolve("a/kept")).isEmptyDirectory();
        assertThat(root.resolve("b")).doesNotExist();
    }

    @Test
    void listingDeletesTemporaryFilesACrashLeftAnHourAgoAndTheDirectoryTheyLeaveEmpty() throws Exception {
        Path directory = Files.createDirectories(root.resolve("d"));
        Path old = Files.writeString(directory.resolve(FilesystemDriver.TEMP_PREFIX + "old"), "partial");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofMinutes(61))));
        Path recent = Files.writeString(directory.resolve(FilesystemDriver.TEMP_PREFIX + "recent"), "partial");
        Files.setLastModifiedTime(recent, FileTime.from(Instant.now().minus(Duration.ofMinutes(59))));

        assertThat(driver().list("/d")).isEmpty();

        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        Files.setLastModifiedTime(recent, FileTime.from(Instant.now().minus(Duration.ofMinutes(61))));
        assertThat(driver().list("/d")).isEmpty();
        assertThat(directory).doesNotExist();
    }

    @Test
    void keepsADirectoryKeptBesideOthersWhileItsParentHoldsAnythingElse() throws Exception {
        FilesystemDriver driver = new FilesystemDriver(root, key -> false,
                key -> key.endsWith("/m") ? Optional.of("tags") : Optional.empty());
        driver.putContent("/r/m/tags/v1/link", new byte[] {1});
        driver.putContent("/r/m/revisions/d/link", new byte[] {1});
        driver.putContent("/r/layers/x/link", new byte[] {1});

        driver.delete("/r/m/tags/v1");
        assertThat(root.resolve("r/m/tags")).isEmptyDirectory();

        driver.delete("/r/m/revisions/d");
        assertThat(root.resolve("r/m")).doesNotExist();
        assertThat(root.resolve("r/layers/x/link")).exists();

        driver.putContent("/r/m/tags/v2/link", new byte[] {1});
        driver.delete("/r/m/tags/v2");
        assertThat(root.resolve("r/m")).doesNotExist();
    }
}
