package dev.berth.auth.token;

import dev.berth.auth.Access;
import java.util.List;
import java.util.Optional;

/**
 * The {@code WWW-Authenticate} value of token authentication (RFC 6750 section 3, as distribution writes it):
 * {@code Bearer realm="...",service="...",scope="..."[,error="..."]}, the scopes of one request joined by
 * spaces with one entry per resource (a mount asks for push on one repository and pull on another).
 *
 * @param realm   the token endpoint: an absolute URL, or a path (starting with {@code /}) on this server, which
 *                the challenge turns into a URL with the origin the client used
 * @param service the audience tokens must name, which clients pass on to the token endpoint
 */
public record BearerChallenge(String realm, String service) {

    /** The error a challenge reports for a token offered but refused. */
    enum Error {
        INVALID_TOKEN("invalid_token"), INSUFFICIENT_SCOPE("insufficient_scope");

        private final String code;

        Error(String code) {
            this.code = code;
        }
    }

    String header(String origin, List<Access> requested, Optional<Error> error) {
        StringBuilder header = new StringBuilder("Bearer realm=")
                .append(quoted(realm.startsWith("/") ? origin + realm : realm))
                .append(",service=").append(quoted(service));
        String scope = String.join(" ", Scopes.merged(requested).stream().map(Access::scope).toList());
        if (!scope.isEmpty()) {
            header.append(",scope=").append(quoted(scope));
        }
        error.ifPresent(e -> header.append(",error=").append(quoted(e.code)));
        return header.toString();
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
