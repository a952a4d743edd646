package dev.berth.auth.token;

import dev.berth.auth.Access;
import java.util.List;
import java.util.Optional;

/** What a trusted token says: for whom it was issued ({@code sub}; empty for anonymous) and what it grants. */
record VerifiedToken(Optional<String> subject, List<Access> access) {

    VerifiedToken {
        access = List.copyOf(access);
    }
}
