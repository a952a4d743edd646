package dev.berth.auth;

import java.util.List;

/** No authentication configured: everyone may do everything, as distribution without an {@code auth} section. */
public final class OpenAccess implements AccessController {

    @Override
    public Principal authorize(AuthRequest request, List<Access> requested) {
        return Principal.UNRESTRICTED;
    }
}
