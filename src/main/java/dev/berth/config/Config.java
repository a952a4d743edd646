package dev.berth.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The settings Berth takes from distribution's {@code config.yml} (plus {@code REGISTRY_*} overrides), checked
 * and defaulted.
 *
 * @param logLevel       {@code log.level}: error, warn, info or debug
 * @param rootDirectory  {@code storage.filesystem.rootdirectory}
 * @param deleteEnabled  {@code storage.delete.enabled}
 * @param host           the host part of {@code http.addr}; empty means every interface
 * @param port           the port part of {@code http.addr}
 * @param allowUrls      {@code validation.manifests.urls.allow}
 * @param denyUrls       {@code validation.manifests.urls.deny}
 * @param uploadPurging  {@code storage.maintenance.uploadpurging}
 * @param gc             {@code berth.gc}
 */
public record Config(String logLevel, Path rootDirectory, boolean deleteEnabled, String host, int port,
                     List<String> allowUrls, List<String> denyUrls, UploadPurging uploadPurging, GcSettings gc) {

    public Config {
        allowUrls = List.copyOf(allowUrls);
        denyUrls = List.copyOf(denyUrls);
    }
}
