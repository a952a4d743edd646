package dev.berth.auth;

import java.util.Optional;

/** What a request offers to prove who it is: its Authorization header and where it comes from. */
public record AuthRequest(Optional<String> authorization, String clientAddress) {
}
