package dev.berth.oci;

/** A tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} (OCI distribution spec, "Pulling manifests"). */
public record Tag(String value) implements Reference, Comparable<Tag> {

    private static final int MAX_LENGTH = 128;

    public Tag {
        if (value == null || !valid(value)) {
            throw new InvalidTagException("invalid tag: " + InvalidValueException.shown(value));
        }
    }

    /** The grammar as a loop: a tag listing checks every tag directory's name. */
    private static boolean valid(String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!word && (i == 0 || (c != '.' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    public static Tag parse(String text) {
        return new Tag(text);
    }

    @Override
    public int compareTo(Tag other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
