package dev.berth.storage;

import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Passes every call to another driver: the base of decorators that change only a few of them. */
public abstract class ForwardingStorageDriver implements StorageDriver {

    protected final StorageDriver delegate;

    protected ForwardingStorageDriver(StorageDriver delegate) {
        this.delegate = delegate;
    }

    @Override
    public byte[] getContent(String key) {
        return delegate.getContent(key);
    }

    @Override
    public void putContent(String key, byte[] content) {
        delegate.putContent(key, content);
    }

    @Override
    public void ensureContent(String key, byte[] content) {
        delegate.ensureContent(key, content);
    }

    @Override
    public void ensureContents(Map<String, byte[]> contents) {
        delegate.ensureContents(contents);
    }

    @Override
    public void touch(String key) {
        delegate.touch(key);
    }

    @Override
    public InputStream reader(String key, long offset) {
        return delegate.reader(key, offset);
    }

    @Override
    public Optional<FileChannel> fileChannel(String key) {
        return delegate.fileChannel(key);
    }

    @Override
    public Optional<URI> downloadUrl(String key) {
        return delegate.downloadUrl(key);
    }

    @Override
    public StorageWriter writer(String key, boolean append) {
        return delegate.writer(key, append);
    }

    @Override
    public Optional<FileInfo> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public Optional<FileInfo> statFile(String key) {
        return delegate.statFile(key);
    }

    @Override
    public boolean isDirectory(String key) {
        return delegate.isDirectory(key);
    }

    @Override
    public List<String> list(String key) {
        return delegate.list(key);
    }

    @Override
    public ChildrenHolding listHolding(String key, String relative) {
        return delegate.listHolding(key, relative);
    }

    @Override
    public void move(String from, String to) {
        delegate.move(from, to);
    }

    @Override
    public void rename(String from, String to) {
        delegate.rename(from, to);
    }

    @Override
    public boolean remote() {
        return delegate.remote();
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }
}
