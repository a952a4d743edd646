package dev.berth.oci;

import java.util.Set;

/** The manifest media types Berth knows (OCI image spec media-types.md; Docker image manifest v2.2). */
public final class MediaType {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final Set<String> IMAGES = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
    private static final Set<String> SCHEMA1 = Set.of(DOCKER_SCHEMA1, DOCKER_SCHEMA1_SIGNED);

    private MediaType() {
    }

    public static boolean isImageManifest(String mediaType) {
        return IMAGES.contains(mediaType);
    }

    public static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    public static boolean isSchema1(String mediaType) {
        return SCHEMA1.contains(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return isImageManifest(mediaType) || isIndex(mediaType);
    }

    /** The bare type of a Content-Type header value, without parameters such as charset. */
    public static String essence(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String bare = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return bare.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
