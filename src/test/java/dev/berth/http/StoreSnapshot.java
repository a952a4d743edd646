package dev.berth.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every directory and file under a root, with a digest of each file's content: equal snapshots taken before and
 * after a request prove the request changed nothing on disk.
 */
record StoreSnapshot(SortedMap<String, String> entries) {

    static StoreSnapshot of(Path root) {
        SortedMap<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(path -> !path.equals(root)).forEach(path -> entries.put(
                    root.relativize(path).toString(),
                    Files.isDirectory(path) ? "directory" : TestBlob.digest(read(path), "sha256")));
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
