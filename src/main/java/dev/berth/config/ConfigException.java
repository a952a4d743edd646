package dev.berth.config;

/** A configuration that cannot be used, naming the key at fault. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, String reason) {
        super(key + ": " + reason);
    }
}
