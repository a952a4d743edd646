package dev.berth.storage;

import java.util.regex.Pattern;

/** The key grammar every driver enforces before it touches its backend. */
public final class Keys {

    private static final Pattern GRAMMAR = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    private Keys() {
    }

    /** Returns the key unchanged, or throws if it is not a well-formed key. */
    public static String check(String key) {
        if (key == null || !GRAMMAR.matcher(key).matches() || key.contains("/../") || key.endsWith("/..")
                || key.contains("/./") || key.endsWith("/.")) {
            throw new IllegalArgumentException("invalid storage key: " + key);
        }
        return key;
    }
}
