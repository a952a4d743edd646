package dev.berth.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every file under a root, with a digest of its content: equal snapshots taken before and after a request prove
 * that the request wrote, changed and deleted no file. Directories are left out: like distribution, Berth may
 * leave an empty directory behind, which holds no data.
 */
record StoreSnapshot(SortedMap<String, String> entries) {

    static StoreSnapshot of(Path root) {
        SortedMap<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(Files::isRegularFile).forEach(path -> entries.put(
                    root.relativize(path).toString(), TestBlob.digest(read(path), "sha256")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StoreSnapshot(entries);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
