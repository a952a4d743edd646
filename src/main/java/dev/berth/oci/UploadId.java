package dev.berth.oci;

import java.util.UUID;
import java.util.regex.Pattern;

/** The identifier of a blob upload session; a UUID when Berth makes it, path-safe text when read back. */
public record UploadId(String value) {

    private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    public UploadId {
        if (value == null || !GRAMMAR.matcher(value).matches()) {
            throw new InvalidValueException("invalid upload id: " + value);
        }
    }

    public static UploadId random() {
        return new UploadId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
