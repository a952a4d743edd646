package dev.berth.storage;

/** The key grammar every driver enforces before it touches its backend. */
public final class Keys {

    private Keys() {
    }

    /** Returns the key unchanged, or throws if it is not a well-formed key. */
    public static String check(String key) {
        if (!valid(key)) {
            throw new IllegalArgumentException("invalid storage key: " + key);
        }
        return key;
    }

    /** Whether the key is well formed, as {@link #check} requires. */
    public static boolean valid(String key) {
        return key != null && wellFormed(key);
    }

    /**
     * {@code (/[A-Za-z0-9._-]+)+} with no component {@code .} or {@code ..}; a loop rather than a regular
     * expression, as every storage call checks its key.
     */
    private static boolean wellFormed(String key) {
        int length = key.length();
        if (length < 2 || key.charAt(0) != '/') {
            return false;
        }
        int componentStart = 1;
        for (int i = 1; i <= length; i++) {
            char c = i == length ? '/' : key.charAt(i);
            if (c == '/') {
                int componentLength = i - componentStart;
                if (componentLength == 0
                        || (componentLength == 1 && key.charAt(componentStart) == '.')
                        || (componentLength == 2 && key.charAt(componentStart) == '.'
                                && key.charAt(componentStart + 1) == '.')) {
                    return false;
                }
                componentStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
