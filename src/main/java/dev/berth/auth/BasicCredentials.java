package dev.berth.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** A user name and password from a {@code Basic} Authorization header (RFC 7617). */
public record BasicCredentials(String user, String password) {

    private static final String SCHEME = "basic ";

    /** Hides the password from logs and exception messages. */
    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + "]";
    }

    /**
     * The credentials of a header, empty when there is no header or it holds an empty user and password, which
     * is how skopeo and podman say "anonymous" once they have seen a Basic challenge.
     *
     * @throws IllegalArgumentException when the header is not well-formed Basic credentials
     */
    public static Optional<BasicCredentials> parse(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            throw new IllegalArgumentException("not Basic credentials");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(SCHEME.length()).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Basic credentials are not valid base64");
        }
        if (decoded.equals(":")) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("Basic credentials need a user name and a colon");
        }
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
}
