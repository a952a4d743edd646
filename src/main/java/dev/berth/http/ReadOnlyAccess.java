package dev.berth.http;

import dev.berth.api.ApiException;
import dev.berth.api.ErrorCode;
import dev.berth.auth.Access;
import dev.berth.auth.AccessController;
import dev.berth.auth.Action;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.Principal;
import java.util.List;

/**
 * {@code storage.maintenance.readonly}: after the access control it wraps has admitted the caller, refuses
 * anything that would write (push, delete, the administration endpoints) with {@code 405 UNSUPPORTED}, as
 * distribution does (with the methods still answered in {@code Allow}, as HTTP asks), while reads go on. For running
 * garbage collection with the registry up.
 */
public final class ReadOnlyAccess implements AccessController {

    private final AccessController controller;

    public ReadOnlyAccess(AccessController controller) {
        this.controller = controller;
    }

    @Override
    public Principal authorize(AuthRequest request, List<Access> requested) {
        Principal principal = controller.authorize(request, requested);
        if (requested.contains(Access.admin()) || requested.stream()
                .anyMatch(a -> a.actions().contains(Action.PUSH) || a.actions().contains(Action.DELETE))) {
            throw new WriteRefusedException();
        }
        return principal;
    }

    /** A write refused in read-only mode: the handler answers 405 with the endpoint's reading methods. */
    static final class WriteRefusedException extends ApiException {
        WriteRefusedException() {
            super(ErrorCode.UNSUPPORTED, "the registry is in read-only mode");
        }
    }
}
