package dev.berth.auth;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A pattern of repository names: {@code *} matches within one path component, {@code **} across components,
 * and {@code ${user}} stands for the caller's user name (so one rule can give every user a namespace).
 */
public record RepositoryGlob(String pattern) {

    public static final String USER = "${user}";

    public RepositoryGlob {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("empty repository pattern");
        }
    }

    public boolean matches(String repository, Optional<String> user) {
        if (pattern.contains(USER) && user.isEmpty()) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        String text = user.map(u -> pattern.replace(USER, u)).orElse(pattern);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
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
