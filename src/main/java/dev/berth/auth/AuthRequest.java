package dev.berth.auth;

import java.util.Optional;

/**
 * What a request offers to prove who it is: its Authorization header and where it comes from.
 *
 * @param clientAddress the address of the peer, for counting failed logins
 * @param origin        {@code scheme://host[:port]} as the client addressed this server, with the path the registry
 *                      is served under, so that a challenge can point the client back at a token endpoint on it
 */
public record AuthRequest(Optional<String> authorization, String clientAddress, String origin) {
}
