package dev.berth.oci;

/**
 * A repository name: slash-separated components of lower-case alphanumerics joined by {@code .}, {@code _},
 * {@code __} or dashes (OCI distribution spec), at most 255 characters as distribution enforces. The grammar
 * admits no {@code ..}, no empty component and no leading slash, so a name is safe inside a storage path.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    public static final int MAX_LENGTH = 255;

    public RepositoryName {
        if (value == null || value.length() > MAX_LENGTH || !valid(value)) {
            throw new InvalidNameException("invalid repository name: " + InvalidValueException.shown(value));
        }
    }

    /**
     * The grammar as a loop, as every request's name is checked (a regular expression cost 3 % of the server's CPU
     * under small requests): runs of alphanumerics, each pair joined by exactly one separator.
     */
    private static boolean valid(String value) {
        int i = 0;
        int length = value.length();
        while (true) {
            int run = i;
            while (i < length && alphanumeric(value.charAt(i))) {
                i++;
            }
            if (i == run) {
                return false;
            }
            if (i == length) {
                return true;
            }
            int separator = i;
            while (i < length && !alphanumeric(value.charAt(i))) {
                i++;
            }
            if (i == length || !separator(value, separator, i)) {
                return false;
            }
        }
    }

    private static boolean alphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** {@code .}, {@code _}, {@code __}, dashes, or the {@code /} between components. */
    private static boolean separator(String value, int from, int to) {
        char first = value.charAt(from);
        if (to - from == 1) {
            return first == '.' || first == '_' || first == '-' || first == '/';
        }
        if (first == '_') {
            return to - from == 2 && value.charAt(from + 1) == '_';
        }
        for (int i = from; i < to; i++) {
            if (value.charAt(i) != '-') {
                return false;
            }
        }
        return true;
    }

    /** Whether the text is one component of a name: a name without {@code /}. */
    public static boolean isComponent(String text) {
        return text != null && text.length() <= MAX_LENGTH && text.indexOf('/') < 0 && valid(text);
    }

    public static RepositoryName parse(String text) {
        return new RepositoryName(text);
    }

    @Override
    public int compareTo(RepositoryName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
