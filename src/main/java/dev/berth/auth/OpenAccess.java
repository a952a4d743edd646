package dev.berth.auth;

import java.util.List;
import java.util.Optional;

/** No authentication configured: everyone may do everything, as distribution without an {@code auth} section. */
public final class OpenAccess implements AccessController {

    @Override
    public Principal authorize(Optional<String> authorization, List<Access> requested) {
        return Principal.ANONYMOUS;
    }
}
