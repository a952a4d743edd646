package dev.berth.gc;

import dev.berth.storage.ForwardingStorageDriver;
import dev.berth.storage.StorageDriver;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Runs an action once, just before or just after the first write, move or delete that matches: how a test puts a
 * concurrent request at an exact point of a collection.
 */
final class InterceptingDriver extends ForwardingStorageDriver {

    enum When { BEFORE, AFTER }

    private final When when;
    private final BiPredicate<String, String> matches;
    private Runnable action;

    /** {@code matches} sees the operation ("put", "move" for either kind, "delete") and its key (a move's source). */
    InterceptingDriver(StorageDriver delegate, When when, BiPredicate<String, String> matches, Runnable action) {
        super(delegate);
        this.when = when;
        this.matches = matches;
        this.action = action;
    }

    private void intercept(String operation, String key, Runnable operationItself) {
        Runnable pending = action != null && matches.test(operation, key) ? action : null;
        if (pending != null) {
            action = null;
        }
        if (pending != null && when == When.BEFORE) {
            pending.run();
        }
        operationItself.run();
        if (pending != null && when == When.AFTER) {
            pending.run();
        }
    }

    @Override
    public void move(String from, String to) {
        intercept("move", from, () -> delegate.move(from, to));
    }

    @Override
    public void rename(String from, String to) {
        intercept("move", from, () -> delegate.rename(from, to));
    }

    @Override
    public void delete(String key) {
        intercept("delete", key, () -> delegate.delete(key));
    }

    @Override
    public void putContent(String key, byte[] content) {
        intercept("put", key, () -> delegate.putContent(key, content));
    }

    @Override
    public void ensureContent(String key, byte[] content) {
        intercept("put", key, () -> delegate.ensureContent(key, content));
    }

    /** One write of several keys, which matches when one of them does. */
    @Override
    public void ensureContents(Map<String, byte[]> contents) {
        String matching = contents.keySet().stream().filter(key -> matches.test("put", key)).findFirst().orElse("");
        intercept("put", matching, () -> delegate.ensureContents(contents));
    }

    @Override
    public void touch(String key) {
        intercept("put", key, () -> delegate.touch(key));
    }
}
