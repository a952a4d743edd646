package dev.berth.metrics;

import dev.berth.storage.ChildrenHolding;
import dev.berth.storage.FileInfo;
import dev.berth.storage.NotFoundException;
import dev.berth.storage.StorageDriver;
import dev.berth.storage.StorageWriter;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** A storage driver that times every call and counts its failures; behaves exactly as the driver it wraps. */
public final class MeteredStorageDriver implements StorageDriver {

    private final StorageDriver driver;
    private final Metrics metrics;

    public MeteredStorageDriver(StorageDriver driver, Metrics metrics) {
        this.driver = driver;
        this.metrics = metrics;
    }

    @Override
    public byte[] getContent(String key) {
        return timed("get_content", () -> driver.getContent(key));
    }

    @Override
    public void putContent(String key, byte[] content) {
        timed("put_content", () -> {
            driver.putContent(key, content);
            return null;
        });
    }

    @Override
    public void ensureContent(String key, byte[] content) {
        timed("ensure_content", () -> {
            driver.ensureContent(key, content);
            return null;
        });
    }

    @Override
    public void ensureContents(Map<String, byte[]> contents) {
        timed("ensure_contents", () -> {
            driver.ensureContents(contents);
            return null;
        });
    }

    @Override
    public void touch(String key) {
        timed("touch", () -> {
            driver.touch(key);
            return null;
        });
    }

    @Override
    public InputStream reader(String key, long offset) {
        return timed("reader", () -> driver.reader(key, offset));
    }

    @Override
    public Optional<FileChannel> fileChannel(String key) {
        return timed("reader", () -> driver.fileChannel(key));
    }

    @Override
    public Optional<URI> downloadUrl(String key) {
        return timed("reader", () -> driver.downloadUrl(key));
    }

    @Override
    public StorageWriter writer(String key, boolean append) {
        return timed("writer", () -> driver.writer(key, append));
    }

    @Override
    public Optional<FileInfo> stat(String key) {
        return timed("stat", () -> driver.stat(key));
    }

    @Override
    public Optional<FileInfo> statFile(String key) {
        return timed("stat", () -> driver.statFile(key));
    }

    @Override
    public boolean isDirectory(String key) {
        return timed("stat", () -> driver.isDirectory(key));
    }

    @Override
    public List<String> list(String key) {
        return timed("list", () -> driver.list(key));
    }

    @Override
    public ChildrenHolding listHolding(String key, String relative) {
        return timed("list", () -> driver.listHolding(key, relative));
    }

    @Override
    public void move(String from, String to) {
        timed("move", () -> {
            driver.move(from, to);
            return null;
        });
    }

    @Override
    public void rename(String from, String to) {
        timed("rename", () -> {
            driver.rename(from, to);
            return null;
        });
    }

    @Override
    public boolean remote() {
        return driver.remote();
    }

    @Override
    public void delete(String key) {
        timed("delete", () -> {
            driver.delete(key);
            return null;
        });
    }

    private <T> T timed(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } catch (NotFoundException e) {
            throw e;
        } catch (RuntimeException e) {
            metrics.storageErrors.labelValues(operation).inc();
            throw e;
        } finally {
            metrics.storageDuration.labelValues(operation).observe((System.nanoTime() - start) / 1e9);
        }
    }
}
