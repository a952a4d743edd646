package dev.berth.api;

/** Header names of the registry API beyond those of HTTP itself. */
public final class Headers {
    public static final String API_VERSION = "Docker-Distribution-Api-Version";
    public static final String API_VERSION_VALUE = "registry/2.0";
    public static final String CONTENT_DIGEST = "Docker-Content-Digest";
    public static final String UPLOAD_UUID = "Docker-Upload-UUID";
    public static final String OCI_SUBJECT = "OCI-Subject";
    public static final String OCI_FILTERS_APPLIED = "OCI-Filters-Applied";

    private Headers() {
    }
}
