package dev.berth.http;

import static dev.berth.http.ErrorEnvelope.assertError;
import static dev.berth.http.TestRegistry.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests crafted to break out of the grammar or the store: each gets its error, and leaves every file under
 * the store (and beside it) exactly as it was.
 */
class HostileInputTest {

    private static final String HEX64 = "a".repeat(64);
    /** Codes the registry may answer a hostile path with (UNSUPPORTED also when Jetty refuses it first). */
    private static final Set<String> PATH_ERRORS =
            Set.of("NAME_INVALID", "TAG_INVALID", "DIGEST_INVALID", "BLOB_UPLOAD_UNKNOWN", "UNSUPPORTED");

    @RegisterExtension
    final TestRegistry registry = TestRegistry.withDefaults();

    /** A manifest whose blobs are in "repo", so that a push of it anywhere in "repo" would succeed. */
    private TestManifest manifest;
    /** An open upload session of "repo", with 100 bytes received. */
    private String upload;
    private final TestBlob blob = TestBlob.random(1000);

    @BeforeEach
    void seedStore() {
        registry.pushImage("repo", "latest");
        manifest = registry.image("repo").build();
        upload = registry.startUpload("repo");
        assertThat(registry.patch(upload, blob.slice(0, 100), "0-99").statusCode()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Repo", "REPO", "library/Ubuntu"})
    void refusesUppercaseNameWithNameInvalid(String name) {
        assertRefusedName(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-repo", "repo-", "_repo", ".repo", "re..po", "re___po", "repo.", "a/-b", "a/_b",
            "re%20po", "re%2Bpo", "re~po"})
    void refusesNameOutsideTheGrammarWithNameInvalid(String name) {
        assertRefusedName(name);
    }

    @Test
    void refusesNameLongerThan255CharactersWithNameInvalid() {
        assertRefusedName("a".repeat(256));
        assertRefusedName("abc/".repeat(64) + "abcd");
    }

    @Test
    void acceptsNameOf255Characters() {
        String name = "a".repeat(255);

        registry.pushBlob(name, blob);

        assertThat(registry.get("/v2/" + name + "/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    static Stream<String> malformedDigests() {
        return Stream.of(
                "sha256:" + HEX64.substring(1),
                "sha256:" + HEX64 + "a",
                "sha256:" + "A".repeat(64),
                "sha256:" + "g".repeat(64),
                "sha256:",
                "sha512:" + HEX64,
                "md5:" + "a".repeat(32),
                "SHA256:" + HEX64,
                "sha256+b64:" + HEX64,
                ":" + HEX64);
    }

    @ParameterizedTest
    @MethodSource("malformedDigests")
    void refusesMalformedDigestInEveryPlaceWithDigestInvalid(String digest) {
        StoreSnapshot before = registry.snapshot();

        assertError(registry.get("/v2/repo/blobs/" + digest), 400, "DIGEST_INVALID");
        assertError(registry.delete("/v2/repo/blobs/" + digest), 400, "DIGEST_INVALID");
        assertError(registry.get("/v2/repo/manifests/" + digest), 400, "DIGEST_INVALID");
        assertError(registry.delete("/v2/repo/manifests/" + digest), 400, "DIGEST_INVALID");
        assertError(registry.put("/v2/repo/manifests/" + digest, manifest.mediaType(), manifest.bytes()), 400,
                "DIGEST_INVALID");
        assertError(registry.get("/v2/repo/referrers/" + digest), 400, "DIGEST_INVALID");
        assertError(registry.post("/v2/repo/blobs/uploads/?digest=" + digest, blob.bytes()), 400, "DIGEST_INVALID");
        assertError(registry.post("/v2/repo/blobs/uploads/?mount=" + digest + "&from=repo"), 400,
                "DIGEST_INVALID");
        assertError(registry.put(upload + "?digest=" + digest, "application/octet-stream", blob.slice(100, 1000)),
                400, "DIGEST_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(header(registry.get(upload), "Range")).isEqualTo("0-99");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-bad", ".hidden", "bad%21tag", "bad%20tag", "t%C3%A4g"})
    void refusesInvalidTagWithTagInvalid(String tag) {
        assertRefusedTag(tag);
    }

    @Test
    void refusesTagLongerThan128CharactersWithTagInvalid() {
        assertRefusedTag("t".repeat(129));
    }

    @Test
    void refusesMalformedUploadIdWithBlobUploadUnknown() {
        StoreSnapshot before = registry.snapshot();

        assertError(registry.patch("/v2/repo/blobs/uploads/.hidden", blob.bytes(), ""), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.get("/v2/repo/blobs/uploads/-x"), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.put("/v2/repo/blobs/uploads/" + "x".repeat(200) + "?digest=" + blob.digest(),
                "application/octet-stream", blob.bytes()), 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    /** Request targets Java's HTTP client would not send as written; Jetty itself refuses some of them. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PUT /v2/../outside/manifests/latest",
            "PUT /v2/repo/../../../outside/manifests/latest",
            "PUT /v2/%2e%2e/outside/manifests/latest",
            "PUT /v2/%2E%2E/%2E%2E/outside/manifests/latest",
            "PUT /v2/repo%2f..%2f..%2f..%2foutside/manifests/latest",
            "PUT /v2/repo/manifests/..%2f..%2f..%2f..%2f..%2foutside",
            "PUT /v2/repo/manifests/%2e%2e",
            "PUT /v2/repo/manifests/%2e%2e%2f%2e%2e%2foutside",
            "PUT /v2/repo/manifests/..",
            "PUT /v2//outside/manifests/latest",
            "PUT /v2/repo\\..\\..\\outside/manifests/latest",
            "PUT /v2/repo%5c..%5coutside/manifests/latest",
            "POST /v2/..%2f..%2foutside/blobs/uploads/?digest=" + TestBlob.EMPTY_JSON_DIGEST,
            "POST /v2/repo/../../outside/blobs/uploads/?digest=" + TestBlob.EMPTY_JSON_DIGEST,
            "PATCH /v2/repo/blobs/uploads/..%2f..%2f..%2f..%2foutside",
            "PATCH /v2/repo/blobs/uploads/%2e%2e",
            "PATCH /v2/repo/blobs/uploads/../../../../outside",
            "PUT /v2/repo/blobs/uploads/..%2f..%2f..%2foutside?digest=" + TestBlob.EMPTY_JSON_DIGEST,
            "GET /v2/repo/blobs/sha256:..%2f..%2f..%2f..%2foutside",
            "DELETE /v2/repo/blobs/sha256:..%2f..%2f..%2f..%2foutside",
            "DELETE /v2/repo/manifests/..%2f..%2f..%2f..%2foutside",
            "GET /v2/repo/manifests/latest%00",
            "GET /v2/%2Frepo/tags/list",
            "GET /v2/repo/tags/list/../../../../../outside",
    })
    void refusesTraversalInTheRequestTargetAndTouchesNoFile(String request) {
        StoreSnapshot before = registry.snapshot();

        RawHttp.Response response = RawHttp.send(registry.port(), request + " HTTP/1.1", TestBlob.EMPTY_JSON.bytes(),
                "Content-Type: application/octet-stream", "Content-Length: 2");

        assertThat(response.status()).as("status of %s: %s", request, response.text()).isBetween(400, 499);
        // refused by the registry or already by Jetty: the envelope either way
        String code = ErrorEnvelope.code(response.body());
        assertThat(PATH_ERRORS).as("code of %s", request).contains(code);
        assertError(response, response.status(), code);
        assertThat(response.header("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(registry.get("/v2/repo/manifests/latest").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /v2/repo//x/tags/list", "GET /v2/a%2Fb/tags/list", "GET /v2/%zz/tags/list",
            "GET /v2/a/%2e%2e/b/tags/list", "GET /v2/a%00b/tags/list"})
    void targetsTheHttpServerWillNotDecodeGetTheEnvelopeToo(String request) {
        RawHttp.Response response = RawHttp.send(registry.port(), request + " HTTP/1.1", new byte[0]);

        assertError(response, 400, "UNSUPPORTED");
        assertThat(response.header("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
        assertThat(ErrorEnvelope.detail(response.body())).isNotBlank();
    }

    /**
     * Jetty's canonical path drops path parameters: routed by it, {@code /v2/secret;x/app} was the repository
     * secret/app, which a proxy in front, matching the path as sent, did not take for it. A 404, as distribution.
     */
    @ParameterizedTest
    @ValueSource(strings = {"GET /v2/repo;x/tags/list", "GET /v2;x/", "GET /v2/repo/manifests/latest;.json",
            "PUT /v2/repo;x/manifests/other", "GET /v2/_catalog;x", "POST /admin;x/gc"})
    void pathsWithParametersAreNoPathsOfTheRegistry(String request) {
        StoreSnapshot before = registry.snapshot();
        RawHttp.Response response = RawHttp.send(registry.port(), request + " HTTP/1.1",
                manifest.bytes(), "Content-Type: " + manifest.mediaType());

        assertError(response, 404, "UNSUPPORTED");
        assertThat(response.header("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    /** 400, not 431: to a 400, podman and skopeo ask for fewer ranges of a layer; to a 431, for all of it. */
    @Test
    void headersTooLargeForTheHttpServerGetA400InTheEnvelope() {
        RawHttp.Response response = RawHttp.send(registry.port(), "GET /v2/ HTTP/1.1", new byte[0],
                "X-Padding: " + "a".repeat(200_000));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
        assertThat(ErrorEnvelope.code(response.body())).isEqualTo("UNSUPPORTED");
    }

    @Test
    void refusesTraversalInTheDigestParameterWithDigestInvalid() {
        StoreSnapshot before = registry.snapshot();

        RawHttp.Response response = RawHttp.send(registry.port(),
                "PUT " + path(upload) + "?digest=sha256:../../../../../outside/x HTTP/1.1", new byte[0],
                "Content-Length: 0");

        assertError(response, 400, "DIGEST_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    @Test
    void keepsUploadUnchangedWhenChunkBodyEndsEarly() {
        StoreSnapshot before = registry.snapshot();

        RawHttp.Response response = RawHttp.send(registry.port(), "PATCH " + path(upload) + " HTTP/1.1",
                blob.slice(100, 400), "Content-Type: application/octet-stream", "Content-Length: 900");

        assertError(response, 400, "BLOB_UPLOAD_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(header(registry.get(upload), "Range")).isEqualTo("0-99");
        assertUploadCompletes();
    }

    @Test
    void keepsUploadUnchangedWhenALargeChunkBodyEndsEarly() {
        // past the size from which the file system driver writes on a thread of its own
        TestBlob large = TestBlob.random(9 << 20);
        StoreSnapshot before = registry.snapshot();

        RawHttp.Response response = RawHttp.send(registry.port(), "PATCH " + path(upload) + " HTTP/1.1",
                large.bytes(), "Content-Type: application/octet-stream", "Content-Length: " + (12 << 20));

        assertError(response, 400, "BLOB_UPLOAD_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(header(registry.get(upload), "Range")).isEqualTo("0-99");
        assertUploadCompletes();
    }

    @Test
    void keepsUploadUnchangedWhenRangedChunkBodyEndsEarly() {
        StoreSnapshot before = registry.snapshot();

        RawHttp.Response response = RawHttp.send(registry.port(), "PATCH " + path(upload) + " HTTP/1.1",
                blob.slice(100, 400), "Content-Type: application/octet-stream", "Content-Length: 900",
                "Content-Range: 100-999");

        assertError(response, 400, "BLOB_UPLOAD_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertUploadCompletes();
    }

    @Test
    void keepsUploadUnchangedWhenChunkIsShorterThanItsRange() {
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> response = registry.patch(upload, blob.slice(100, 400), "100-999");

        assertError(response, 400, "BLOB_UPLOAD_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertUploadCompletes();
    }

    @Test
    void storesNoBlobWhenFinalChunkEndsEarly() {
        StoreSnapshot before = registry.snapshot();

        RawHttp.Response response = RawHttp.send(registry.port(),
                "PUT " + path(upload) + "?digest=" + blob.digest() + " HTTP/1.1", blob.slice(100, 400),
                "Content-Type: application/octet-stream", "Content-Length: 900");

        assertError(response, 400, "BLOB_UPLOAD_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(registry.head("/v2/repo/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
        assertUploadCompletes();
    }

    @Test
    void storesNothingWhenSinglePostBodyEndsEarly() {
        StoreSnapshot before = registry.snapshot();

        RawHttp.Response response = RawHttp.send(registry.port(),
                "POST /v2/repo/blobs/uploads/?digest=" + blob.digest() + " HTTP/1.1", blob.slice(0, 300),
                "Content-Type: application/octet-stream", "Content-Length: 1000");

        assertError(response, 400, "BLOB_UPLOAD_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertThat(registry.head("/v2/repo/blobs/" + blob.digest()).statusCode()).isEqualTo(404);
    }

    @Test
    void storesNoManifestWhenItsBodyEndsEarly() {
        StoreSnapshot before = registry.snapshot();

        RawHttp.Response response = RawHttp.send(registry.port(), "PUT /v2/repo/manifests/truncated HTTP/1.1",
                Arrays.copyOf(manifest.bytes(), manifest.size() / 2), "Content-Type: " + manifest.mediaType(),
                "Content-Length: " + manifest.size());

        assertError(response, 400, "MANIFEST_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertError(registry.get("/v2/repo/manifests/truncated"), 404, "MANIFEST_UNKNOWN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "100-", "-199", "199-100", "100-x", "100-199/", "100 - 199",
            "100-99999999999999999999", "0x64-0xc7"})
    void refusesMalformedContentRangeWith416AndKeepsUpload(String contentRange) {
        StoreSnapshot before = registry.snapshot();

        HttpResponse<byte[]> response = registry.patch(upload, blob.slice(100, 200), contentRange);

        assertError(response, 416, "RANGE_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
        assertUploadCompletes();
    }

    private void assertRefusedName(String name) {
        StoreSnapshot before = registry.snapshot();

        assertError(registry.get("/v2/" + name + "/tags/list"), 400, "NAME_INVALID");
        assertError(registry.get("/v2/" + name + "/manifests/latest"), 400, "NAME_INVALID");
        assertError(registry.put("/v2/" + name + "/manifests/latest", manifest.mediaType(), manifest.bytes()), 400,
                "NAME_INVALID");
        assertError(registry.get("/v2/" + name + "/blobs/" + blob.digest()), 400, "NAME_INVALID");
        assertError(registry.post("/v2/" + name + "/blobs/uploads/"), 400, "NAME_INVALID");
        assertError(registry.post("/v2/" + name + "/blobs/uploads/?digest=" + blob.digest(), blob.bytes()), 400,
                "NAME_INVALID");
        assertError(registry.post("/v2/repo/blobs/uploads/?mount=" + blob.digest() + "&from=" + name), 400,
                "NAME_INVALID");
        assertError(registry.get("/v2/" + name + "/referrers/" + blob.digest()), 400, "NAME_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    private void assertRefusedTag(String tag) {
        StoreSnapshot before = registry.snapshot();

        assertError(registry.put("/v2/repo/manifests/" + tag, manifest.mediaType(), manifest.bytes()), 400,
                "TAG_INVALID");
        assertError(registry.get("/v2/repo/manifests/" + tag), 400, "TAG_INVALID");
        assertError(registry.delete("/v2/repo/manifests/" + tag), 400, "TAG_INVALID");
        assertError(registry.put("/v2/repo/manifests/" + manifest.digest() + "?tag=" + tag, manifest.mediaType(),
                manifest.bytes()), 400, "TAG_INVALID");
        assertThat(registry.snapshot()).isEqualTo(before);
    }

    /** The seeded upload still takes the rest of the blob from byte 100 and completes with the right digest. */
    private void assertUploadCompletes() {
        assertThat(registry.patch(upload, blob.slice(100, 1000), "100-999").statusCode()).isEqualTo(202);
        HttpResponse<byte[]> put = registry.send(registry.request(upload + "?digest=" + blob.digest())
                .PUT(BodyPublishers.noBody()));
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(registry.get("/v2/repo/blobs/" + blob.digest()).body()).isEqualTo(blob.bytes());
    }

    private String path(String location) {
        return location.substring(registry.baseUrl().length());
    }
}
