package dev.berth.oci;

import java.util.regex.Pattern;

/**
 * A repository name: slash-separated components of lower-case alphanumerics joined by {@code .}, {@code _},
 * {@code __} or dashes (OCI distribution spec), at most 255 characters as distribution enforces. The grammar
 * admits no {@code ..}, no empty component and no leading slash, so a name is safe inside a storage path.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    public static final int MAX_LENGTH = 255;
    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern GRAMMAR = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

    public RepositoryName {
        if (value == null || value.length() > MAX_LENGTH || !GRAMMAR.matcher(value).matches()) {
            throw new InvalidNameException("invalid repository name: " + value);
        }
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
