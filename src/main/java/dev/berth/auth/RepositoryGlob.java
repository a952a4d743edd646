package dev.berth.auth;

import dev.berth.oci.RepositoryName;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A pattern of repository names: {@code *} matches within one path component, {@code **} across components,
 * and {@code ${user}} stands for the caller's user name (so one rule can give every user a namespace). The user
 * name stands for itself, never as a pattern, and only when it is one component of a repository name: a user
 * named {@code *}, {@code bob/app} or {@code ..} would otherwise reach into other users' namespaces.
 */
public record RepositoryGlob(String pattern) {

    public static final String USER = "${user}";

    public RepositoryGlob {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("empty repository pattern");
        }
    }

    public boolean matches(String repository, Optional<String> user) {
        boolean personal = pattern.contains(USER);
        if (personal && (user.isEmpty() || !RepositoryName.isComponent(user.get()))) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (personal && pattern.startsWith(USER, i)) {
                regex.append(Pattern.quote(user.get()));
                i += USER.length() - 1;
            } else if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.matches(regex.toString(), repository);
    }
}
