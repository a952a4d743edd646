package dev.berth.storage.s3;

import java.net.URI;
import java.util.Optional;

/**
 * Where S3 is reached, as distribution's driver is told.
 *
 * @param endpoint         {@code regionendpoint}: an S3-compatible service instead of AWS's endpoint for the region
 * @param redirectEndpoint {@code redirectendpoint}: where the URLs clients are sent to for downloads point instead
 *                         (a public or CDN endpoint, when the registry reaches S3 by an internal one)
 * @param pathStyle        bucket names go in the path, not the host name
 * @param dualStack        {@code usedualstack}: AWS's endpoints that answer over IPv6 as well as IPv4
 * @param accelerate       {@code accelerate}: AWS's S3 Transfer Acceleration endpoints
 * @param fips             {@code usefipsendpoint}: AWS's FIPS 140 endpoints
 */
public record S3Address(String region, Optional<URI> endpoint, Optional<URI> redirectEndpoint, boolean pathStyle,
                        boolean dualStack, boolean accelerate, boolean fips) {

    /** An S3-compatible service at {@code endpoint}, addressed by path. */
    public static S3Address of(String region, URI endpoint) {
        return new S3Address(region, Optional.of(endpoint), Optional.empty(), true, false, false, false);
    }
}
